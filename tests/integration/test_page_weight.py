"""Page weight on a cold cache: the page and every asset it links, as sent over the wire.

Targets (issue 17): a worker's page at most 300 kB, any page at most 1.5 MB. Assets have one
URL each (content-hashed, cached for a year) and are compressed.
"""

from __future__ import annotations

import re

from tests.integration.test_matchmaking_pages import world  # noqa: F401  (fixture)
from tests.integration.test_outcome_dashboards import cluster  # noqa: F401  (fixture)

ACCEPT = {"Accept-Encoding": "gzip, deflate, br, zstd"}
ASSET = re.compile(r'(?:href|src)="(/[^"#?]+\.(?:css|js|svg)(?:\?[^"#]*)?)[#"]')
WORKER_LIMIT = 300_000
ANY_LIMIT = 1_500_000


def wire_weight(client, path: str) -> tuple[int, dict[str, int]]:
    page = client.get(path, headers=ACCEPT)
    assert page.status_code == 200, path
    assert page.headers.get("Content-Encoding"), f"{path} sent uncompressed"
    html = client.get(path).get_data(as_text=True)
    sizes = {path: len(page.get_data())}
    urls = set(ASSET.findall(html))
    assert any("bootstrap" in url for url in urls), urls
    for url in sorted(urls):
        assert "?v=" in url, f"{url} has no content hash"
        asset = client.get(url, headers=ACCEPT)
        assert asset.status_code == 200, url
        assert "immutable" in asset.headers["Cache-Control"], url
        sizes[url] = len(asset.get_data())
        asset.close()
    return sum(sizes.values()), sizes


def test_worker_pages_are_light(client, world, login_as):  # noqa: F811
    login_as(world["welder_user"])
    for path in ["/worker/jobs", f"/worker/jobs/{world['posting'].external_id}", "/worker/skills"]:
        total, sizes = wire_weight(client, path)
        assert total <= WORKER_LIMIT, (path, total, sizes)
        assert not any("plotly" in url for url in sizes), f"{path} loads plotly without a chart"


def test_chart_pages_stay_under_the_cold_cache_limit(client, factories, login_as, world):  # noqa: F811
    login_as(factories.user("institution"))
    check_chart_page(client, "/institution/demand")


def test_outcomes_dashboard_stays_under_the_cold_cache_limit(
    client,
    factories,
    login_as,
    cluster,  # noqa: F811
):
    login_as(factories.user("admin"))
    check_chart_page(client, "/admin/outcomes")


def check_chart_page(client, path: str) -> None:
    total, sizes = wire_weight(client, path)
    assert total <= ANY_LIMIT, (path, total, sizes)
    plotly = [url for url in sizes if "plotly" in url]
    assert len(plotly) == 1, sizes


def test_one_url_per_asset_and_a_new_url_when_it_changes(app, client, tmp_path):
    from app.assets import content_hash

    with app.test_request_context():
        from flask import url_for

        first = url_for("static", filename="css/app.css")
        again = url_for("static", filename="css/app.css")
        bootstrap = url_for("bootstrap.static", filename="css/bootstrap.min.css")
    assert first == again and re.search(r"\?v=[0-9a-f]{12}$", first)
    assert re.search(r"\?v=[0-9a-f]{12}$", bootstrap)
    assert content_hash(app, "static", "../config.py") is None
    assert content_hash(app, "static", "no/such/file.css") is None
