"""indicators/ is a plain library, like matching/: it imports neither Flask, SQLAlchemy nor the app.

Run in a fresh interpreter (as tests/unit/matching checks that the linker leaves torch out), so
modules the test session has already imported cannot hide an import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]
MODULES = ("records", "skeleton", "outcomes", "schemes", "disclosure", "reports", "dashboard")
FORBIDDEN = ("flask", "flask_babel", "sqlalchemy", "app")


def test_importing_every_indicators_module_imports_no_flask_sqlalchemy_or_app() -> None:
    code = (
        "import sys\n"
        + "".join(f"import indicators.{name}\n" for name in MODULES)
        + f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert output.stdout.strip() == "[]"
    assert output.stderr == ""


def test_every_module_of_the_package_is_checked() -> None:
    found = {path.stem for path in (PROJECT_ROOT / "indicators").glob("*.py")} - {"__init__"}
    assert found == set(MODULES)


def test_the_check_sees_a_forbidden_import() -> None:
    """The same probe reports flask when it is imported, so an empty list means something."""
    code = f"import sys, flask; print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert "flask" in output.stdout
