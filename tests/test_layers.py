"""The apps import one way (docs/DESIGN.md): each may import only the layers below it, so that
what composes several apps lives in the app above them, and the flow can be read in the code."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app and the project's apps it may import, from the bottom up.
_DOMAIN = ["core", "accounts", "notifications", "projects", "milestones", "roles"]
_BELOW_TOP = {*_DOMAIN, "consultations", "reports"}
ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "notifications": {"core", "accounts"},
    "projects": {"core", "accounts", "notifications"},
    "milestones": {"core", "accounts", "notifications", "projects"},
    "roles": {"core", "accounts", "notifications", "projects"},
    "consultations": set(_DOMAIN),
    "reports": {*_DOMAIN, "consultations"},
    # The top layer: the demo, and the API, which reads and writes through the apps below.
    "demo": _BELOW_TOP,
    "api": _BELOW_TOP,
    # Settings, urls and Celery: no domain code; the root urls wire the front page.
    "reorg": {"core", "reports"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_layers_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - ALLOWED[app] - {app})
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: apps for path, apps in wrong.items() if apps} == {}


def test_nothing_imports_the_demo_and_the_demo_imports_every_app():
    demo_imports = set()
    for path in (ROOT / "demo").rglob("*.py"):
        demo_imports |= imported_apps(path)
    assert demo_imports >= {"projects", "milestones", "roles", "consultations", "reports"}
    assert all("demo" not in allowed for app, allowed in ALLOWED.items() if app != "demo")
