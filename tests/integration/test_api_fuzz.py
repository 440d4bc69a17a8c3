"""Fuzz every operation of /api/v1/openapi.json with schemathesis, as an administrator.

Checks: no 5xx, every response matches its documented schema, invalid input is rejected.
The run is repeatable: Hypothesis is derandomised (same inputs every run), keeps no example
database and does not shrink. It runs on a dedicated SQLite file, not the suite's rolled-back
connection: the world is seeded once into a template file, and before every example the live
file is replaced by a copy of the template, so each example (DELETEs included) starts from the
same world and each request commits or rolls back by itself, as in production.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.schemas import BaseSchema

from tests import conftest
from tests.helpers import bearer
from tests.integration.test_access_matrix import World, build_world

pytestmark = pytest.mark.fuzz

SPEC_PATH = "/api/v1/openapi.json"
MAX_EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}
CHECKS = [not_a_server_error, response_schema_conformance, negative_data_rejection]

# Every operation of the OpenAPI document, written out so that a new operation without a row
# fails test_every_operation_is_fuzzed instead of escaping the fuzzer.
OPERATIONS: list[str] = [
    "GET /api/v1/skills",
    "GET /api/v1/skills/by-uri",
    "POST /api/v1/skills/link",
    "GET /api/v1/workers",
    "POST /api/v1/workers",
    "GET /api/v1/workers/{external_id}",
    "PATCH /api/v1/workers/{external_id}",
    "GET /api/v1/workers/{external_id}/skills",
    "POST /api/v1/workers/{external_id}/skills",
    "PUT /api/v1/workers/{external_id}/skills",
    "POST /api/v1/workers/{external_id}/consent",
    "DELETE /api/v1/workers/{external_id}/consent",
    "GET /api/v1/employers",
    "POST /api/v1/employers",
    "GET /api/v1/employers/{external_id}",
    "PATCH /api/v1/employers/{external_id}",
    "GET /api/v1/institutions",
    "POST /api/v1/institutions",
    "GET /api/v1/institutions/{external_id}",
    "PATCH /api/v1/institutions/{external_id}",
    "GET /api/v1/postings",
    "POST /api/v1/postings",
    "GET /api/v1/postings/search",
    "GET /api/v1/postings/{external_id}",
    "PATCH /api/v1/postings/{external_id}",
    "DELETE /api/v1/postings/{external_id}",
    "GET /api/v1/courses",
    "POST /api/v1/courses",
    "GET /api/v1/courses/search",
    "GET /api/v1/courses/{external_id}",
    "PATCH /api/v1/courses/{external_id}",
    "DELETE /api/v1/courses/{external_id}",
    "POST /api/v1/courses/{external_id}/archive",
    "POST /api/v1/courses/{external_id}/restore",
    "GET /api/v1/courses/{external_id}/modules",
    "POST /api/v1/courses/{external_id}/modules",
    "GET /api/v1/batches",
    "POST /api/v1/batches",
    "GET /api/v1/batches/{external_id}",
    "PATCH /api/v1/batches/{external_id}",
    "GET /api/v1/enrolments",
    "POST /api/v1/enrolments",
    "GET /api/v1/enrolments/{external_id}",
    "POST /api/v1/enrolments/{external_id}/cancel",
    "PATCH /api/v1/enrolments/{external_id}",
    "GET /api/v1/placements",
    "POST /api/v1/placements",
    "GET /api/v1/placements/{external_id}",
    "PATCH /api/v1/placements/{external_id}",
    "POST /api/v1/placements/{external_id}/retention-checks",
    "GET /api/v1/workers/{external_id}/jobs",
    "GET /api/v1/workers/{external_id}/gap/{posting_id}",
    "GET /api/v1/postings/{external_id}/candidates",
    "POST /api/v1/postings/{posting_id}/applications",
    "GET /api/v1/postings/{posting_id}/applications",
    "POST /api/v1/postings/{posting_id}/invitations",
    "GET /api/v1/workers/{worker_id}/applications",
    "GET /api/v1/applications/{external_id}",
    "PATCH /api/v1/applications/{external_id}",
    "GET /api/v1/postings/{external_id}/trainable",
    "GET /api/v1/demand",
    "GET /api/v1/privacy/notice",
    "GET /api/v1/privacy/workers/{external_id}/data",
    "GET /api/v1/privacy/workers/{external_id}/data.csv",
    "DELETE /api/v1/privacy/workers/{external_id}/personal-data",
    "GET /api/v1/privacy/workers/{external_id}/guardian-consent",
    "POST /api/v1/privacy/workers/{external_id}/guardian-consent",
    "POST /api/v1/privacy/workers/{external_id}/guardian-consent/verify",
    "GET /api/v1/privacy/grievances",
    "POST /api/v1/privacy/grievances",
    "GET /api/v1/privacy/grievances/{external_id}",
    "PATCH /api/v1/privacy/grievances/{external_id}",
]


@dataclass
class FuzzTarget:
    """The dedicated app, its live database file, the pristine copy and the admin's header."""

    app: Flask
    live: Path
    template: Path
    world: World
    headers: dict[str, str]
    schema: BaseSchema

    def restore(self) -> None:
        """Put the seeded world back: close pooled connections, then overwrite the file."""
        from app.extensions import db

        with self.app.app_context():
            db.engine.dispose()
        shutil.copyfile(self.template, self.live)


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory) -> Iterator[FuzzTarget]:
    """A second app on its own SQLite file, migrated and seeded with committed rows."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from tests import factories

    root = tmp_path_factory.mktemp("fuzz")
    live = root / "fuzz.db"
    template = root / "fuzz-template.db"
    config = conftest.test_config(root, SQLALCHEMY_DATABASE_URI=f"sqlite:///{live}")
    conftest.reset_database(config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)
    app.test_client_class = conftest.FreshContextClient
    with app.app_context():
        upgrade(directory=str(conftest.PROJECT_ROOT / "migrations"))
        world = build_world(factories)
        headers = bearer(world.admin)
        db.session.remove()
        db.engine.dispose()
    shutil.copyfile(live, template)
    yield FuzzTarget(
        app=app,
        live=live,
        template=template,
        world=world,
        headers=headers,
        schema=schemathesis.openapi.from_wsgi(SPEC_PATH, app),
    )
    with app.app_context():
        db.engine.dispose()


def path_parameters(world: World, path: str) -> dict[str, str]:
    """Point {external_id} and {posting_id} at real records of side A, so positive examples reach
    the views' logic instead of stopping at 404."""
    owners = {
        "/api/v1/applications/": world.a.application,
        "/api/v1/batches/": world.a.batch,
        "/api/v1/courses/": world.a.course,
        "/api/v1/employers/": world.a.employer,
        "/api/v1/enrolments/": world.a.enrolment,
        "/api/v1/institutions/": world.a.institution,
        "/api/v1/placements/": world.a.placement,
        "/api/v1/postings/": world.a.posting,
        "/api/v1/privacy/grievances/": world.a.grievance,
        "/api/v1/privacy/workers/": world.a.worker,
        "/api/v1/workers/": world.a.worker,
    }
    values = {}
    if "{external_id}" in path:
        values["external_id"] = next(v for prefix, v in owners.items() if path.startswith(prefix))
    if "{posting_id}" in path:
        values["posting_id"] = world.a.posting
    if "{worker_id}" in path:
        values["worker_id"] = world.a.worker
    return values


def fuzz_cases() -> list:
    return [
        pytest.param(operation, mode, id=f"{operation}-{mode.value}")
        for operation in OPERATIONS
        for mode in MAX_EXAMPLES
    ]


def test_every_operation_is_fuzzed(fuzz_target: FuzzTarget) -> None:
    documented = [
        f"{result.ok().method.upper()} {result.ok().path}"
        for result in fuzz_target.schema.get_all_operations()
    ]
    assert sorted(documented) == sorted(OPERATIONS)


@pytest.mark.parametrize(("operation", "mode"), fuzz_cases())
def test_operation_survives_fuzzing(
    fuzz_target: FuzzTarget, operation: str, mode: GenerationMode
) -> None:
    method, path = operation.split(" ", 1)
    api_operation = fuzz_target.schema[path][method]
    fixed = path_parameters(fuzz_target.world, path) if mode is GenerationMode.POSITIVE else {}
    strategy = api_operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

    @settings(
        max_examples=MAX_EXAMPLES[mode],
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the report names the input
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def exercise(case) -> None:
        fuzz_target.restore()
        response = case.call(headers=fuzz_target.headers)
        case.validate_response(response, checks=CHECKS, headers=fuzz_target.headers)

    exercise()
