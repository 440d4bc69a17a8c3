"""The skills API: search, look-up by URI, and linking text to skills."""

from __future__ import annotations

import pytest

from tests.helpers import bearer


@pytest.fixture
def headers(factories):
    return bearer(factories.user("worker"))


def test_search_by_label_and_alias(client, factories, headers):
    from app.skills.services import add_aliases

    tig = factories.skill("TIG welding")
    factories.skill("operate lathe")
    add_aliases([(tig.uri, "GTAW")])
    from app.extensions import db

    db.session.commit()
    by_label = client.get("/api/v1/skills?q=tig", headers=headers).json
    by_alias = client.get("/api/v1/skills?q=gtaw", headers=headers).json
    assert [s["uri"] for s in by_label] == [tig.uri] == [s["uri"] for s in by_alias]
    assert by_alias[0]["aliases"] == ["GTAW"]


def test_search_in_marathi_and_hindi_finds_english_labels(client, factories, headers):
    from app.extensions import db

    welding = factories.skill("TIG welding")
    factories.skill("operate lathe")
    db.session.commit()
    for query in ("वेल्डिंग", "वेल्डिंगचे"):
        found = client.get("/api/v1/skills", query_string={"q": query}, headers=headers).json
        assert [s["uri"] for s in found] == [welding.uri], query
    assert client.get("/api/v1/skills", query_string={"q": "पेंटिंग"}, headers=headers).json == []


def test_lookup_by_uri_and_unknown_uri(client, factories, headers):
    skill = factories.skill("operate lathe")
    found = client.get("/api/v1/skills/by-uri", query_string={"uri": skill.uri}, headers=headers)
    assert found.status_code == 200 and found.json["label"] == "operate lathe"
    missing = client.get("/api/v1/skills/by-uri", query_string={"uri": "urn:none"}, headers=headers)
    assert missing.status_code == 404 and missing.json["code"] == 404


def test_link_ranks_the_mentioned_skill_first_with_its_span(client, factories, headers):
    tig = factories.skill("TIG welding")
    factories.skill("manage musical staff")
    factories.skill("bookkeeping")
    text = "Need TIG welding on stainless parts"
    response = client.post("/api/v1/skills/link", json={"text": text, "top_k": 2}, headers=headers)
    assert response.status_code == 200
    body = response.json
    assert len(body) == 2
    assert body[0]["uri"] == tig.uri
    assert body[0]["span"] and body[0]["span"] in text
    assert body[0]["score"] >= body[1]["score"]


def test_link_marathi_and_hindi_text(client, factories, headers):
    tig = factories.skill("TIG welding")
    factories.skill("understand written Marathi")
    factories.skill("bookkeeping")
    for text in ("मी टिग वेल्डिंग करतो, ८ वर्षं", "मैं टिग वेल्डिंग करता हूं"):
        response = client.post(
            "/api/v1/skills/link", json={"text": text, "top_k": 3}, headers=headers
        )
        body = response.json
        assert body[0]["uri"] == tig.uri and body[0]["span"] in text
        assert not [s for s in body if s["label"] == "understand written Marathi" and s["score"]]


def test_link_suggests_the_level_the_stated_years_suggest(client, factories, headers):
    tig = factories.skill("TIG welding")
    factories.skill("bookkeeping")
    for text, level in (
        ("TIG welding on stainless parts, 4 years", 3),
        ("मी टिग वेल्डिंग करतो, ८ वर्षं", 4),
        ("TIG welding on stainless parts", None),
    ):
        response = client.post(
            "/api/v1/skills/link", json={"text": text, "top_k": 2}, headers=headers
        )
        first = response.json[0]
        assert first["uri"] == tig.uri and first["proficiency"] == level


def test_link_rejects_bad_input_and_anonymous(client, headers):
    assert client.post("/api/v1/skills/link", json={"top_k": 0}, headers=headers).status_code == 422
    assert client.post("/api/v1/skills/link", json={"text": "x"}).status_code == 401


def test_skills_extract_writes_the_suggested_level_beside_each_skill(app, factories):
    import json

    from app.skills.cli import skills

    tig = factories.skill("TIG welding")
    factories.skill("bookkeeping")
    result = app.test_cli_runner().invoke(
        skills,
        ["extract", "--top-k", "2"],
        input="TIG welding for 6 years\nTIG welding on stainless parts\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    firsts = [line["skills"][0] for line in lines]
    assert [first["uri"] for first in firsts] == [tig.uri, tig.uri]
    assert [first["proficiency"] for first in firsts] == [4, None]
