"""The administrator's overview: real counts, and nobody else may open it."""

from __future__ import annotations

from datetime import date

from app.admin.services import cluster_overview


def test_overview_counts_what_is_in_the_database(factories):
    before = cluster_overview(date(2026, 6, 1))
    factories.consenting_worker(gender="female")
    factories.consenting_worker(gender="male", visible_to_employers=False)
    factories.worker(gender="male")  # visible, but never consented: not shown to employers
    factories.posting(openings=7)
    after = cluster_overview(date(2026, 6, 1))
    assert after.workers == before.workers + 3
    assert after.women == before.women + 1
    assert after.visible == before.visible + 1
    assert after.open_openings == before.open_openings + 7


def test_overview_page_for_admins_only(client, factories, login_as):
    factories.employer(name="Chakan Forgings Pvt Ltd")
    for role in ("worker", "employer", "institution"):
        with client.session_transaction() as session:
            session.clear()
        login_as(factories.user(role))
        assert client.get("/admin").status_code == 403
    with client.session_transaction() as session:
        session.clear()
    page = login_as(factories.user("admin")).get("/admin")
    assert page.status_code == 200
    assert "Chakan Forgings Pvt Ltd" in page.get_data(as_text=True)


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
