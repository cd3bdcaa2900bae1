"""The floors of the code (docs/development/architecture.md, "Floors"): an app imports only the apps beneath it.

    core ← geo ← accounts ← notifications ← cases ← domain apps (events, hazards, people …) ← analytics
    jobs sits on core/geo/accounts and knows no kind of job; ledgers sits on core/geo/accounts/jobs.
    documents (.docx from templates) and alerts (预警 records) sit beneath cases, so every kind — and the
    registers, which are not cases — can use them; registers (generic list/form/API for plain records) sits
    beside cases.

Every `import` and `from … import` statement is read with `ast`, wherever it is: at the top, inside a function
(a "lazy import" does not hide a cycle from this test), under `if TYPE_CHECKING:`, and relative imports
resolved to their package; so is `import_module("pingan.x…")` / `__import__` with a literal name. Plug-in
discovery by a computed name (`import_module(f"{config.name}.ledgers")`) and `apps.get_model(...)` are a
registry, not an import of a named app, and are not counted. Tests and migrations are not checked.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PINGAN = Path(__file__).resolve().parents[2]

# What each app may import besides itself. An app missing here is not checked by the floors test below.
DOMAIN_APPS = ("events", "hazards", "people", "disputes", "hall", "petitions", "security", "crimes", "campaigns")
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "geo": {"core"},
    "accounts": {"core", "geo"},
    "notifications": {"core", "geo", "accounts"},
    "jobs": {"core", "geo", "accounts"},
    "documents": {"core", "geo", "accounts", "jobs"},
    "alerts": {"core", "geo", "accounts", "notifications", "jobs"},
    "cases": {"core", "geo", "accounts", "notifications", "jobs", "documents", "alerts"},
    "ledgers": {"core", "geo", "accounts", "jobs"},
    "registers": {"core", "geo", "accounts", "jobs", "ledgers", "documents"},
}
# A domain app may use any floor beneath it, and another domain app, but never analytics (which reads them all).
FORBIDDEN_FOR_DOMAIN = {"analytics"}


def _apps() -> set[str]:
    return {p.name for p in PINGAN.iterdir() if p.is_dir() and (p / "apps.py").exists()}


def _modules(app: str):
    for path in sorted((PINGAN / app).rglob("*.py")):
        parts = path.relative_to(PINGAN / app).parts
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py" or "__pycache__" in parts:
            continue
        yield path


def _module_name(path: Path) -> tuple[str, bool]:
    """("pingan.core.ledgers.spec", is_package) for a file under pingan/."""
    parts = list(path.relative_to(PINGAN.parent).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def imported_names(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) for every module the file imports, with `from pingan import x` as
    "pingan.x" (x may be an app) and relative imports resolved."""
    module, is_package = _module_name(path)
    package = module if is_package else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            found.append((node.lineno, source))
            found += [(node.lineno, f"{source}.{alias.name}") for alias in node.names if alias.name != "*"]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                found.append((node.lineno, node.args[0].value))
    return found


def app_imports(app: str) -> list[tuple[str, int, str]]:
    """(file, line, other app) for every import of another pingan app by `app`'s modules."""
    apps = _apps()
    result = []
    for path in _modules(app):
        for line, name in imported_names(path):
            parts = name.split(".")
            if len(parts) >= 2 and parts[0] == "pingan" and parts[1] in apps and parts[1] != app:
                result.append((str(path.relative_to(PINGAN.parent)), line, parts[1]))
    return sorted(set(result))


def _report(violations) -> str:
    return "\n".join(f"  {file}:{line} imports pingan.{other}" for file, line, other in violations)


def _judge(app: str, violations, message: str) -> None:
    """Every violation fails, naming each file and line."""
    assert not violations, message + "\n" + _report(violations)


def test_core_imports_no_other_app():
    violations = app_imports("core")
    assert not violations, "pingan/core 不得导入其他应用（包括函数内的延迟导入）：\n" + _report(violations)


@pytest.mark.parametrize("app", sorted(a for a in ALLOWED if a != "core"))
def test_app_imports_only_the_floors_beneath_it(app):
    if not (PINGAN / app / "apps.py").exists():
        pytest.skip(f"no app {app}")
    violations = [v for v in app_imports(app) if v[2] not in ALLOWED[app]]
    allowed = "、".join(sorted(ALLOWED[app])) or "（无）"
    _judge(app, violations, f"pingan/{app} 只能导入 {allowed}：")


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_domain_apps_do_not_import_analytics(app):
    if not (PINGAN / app / "apps.py").exists():
        pytest.skip(f"no app {app}")
    violations = [v for v in app_imports(app) if v[2] in FORBIDDEN_FOR_DOMAIN]
    _judge(app, violations, f"pingan/{app} 不得导入 analytics：")


def test_the_scanner_sees_lazy_relative_and_literal_imports(tmp_path, monkeypatch):
    """The scanner itself, on a made-up app: a top-level import, one inside a function, one under
    TYPE_CHECKING, a relative one reaching out of the package, `from pingan import x`, and a literal
    import_module all count; a computed import_module name and apps.get_model do not."""
    root = tmp_path / "pingan"
    for app in ("alpha", "beta", "gamma", "delta", "eps", "zeta"):
        (root / app).mkdir(parents=True)
        (root / app / "apps.py").write_text("")
    (root / "alpha" / "sub").mkdir()
    (root / "alpha" / "sub" / "mod.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from importlib import import_module\n"
        "from django.apps import apps\n"
        "import pingan.beta.models\n"
        "if TYPE_CHECKING:\n"
        "    from pingan.gamma import x\n"
        "def f(config):\n"
        "    from ...delta.models import Y\n"
        "    from pingan import eps\n"
        "    import_module('pingan.zeta.views')\n"
        "    import_module(f'{config.name}.ledgers')\n"
        "    apps.get_model('omega', 'Thing')\n"
        "    from . import sibling\n"
        "    from ..other import z\n")
    (root / "alpha" / "tests").mkdir()
    (root / "alpha" / "tests" / "test_x.py").write_text("from pingan.beta import models\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["PINGAN"]), "PINGAN", root)
    assert [(line, other) for _f, line, other in app_imports("alpha")] == [
        (4, "beta"), (6, "gamma"), (8, "delta"), (9, "eps"), (10, "zeta")]


def test_no_cycle_between_apps():
    """Whatever the floors say, no two apps reach each other through imports, lazy ones included: a cycle
    that a function-level import makes loadable is still a cycle."""
    graph = {app: {other for _f, _l, other in app_imports(app)} for app in sorted(_apps())}
    cycles = []

    def visit(app, trail):
        for other in sorted(graph.get(app, ())):
            if other in trail:
                cycle = trail[trail.index(other):] + [other]
                if min(cycle[:-1]) == cycle[0]:  # each cycle once, from its smallest name
                    cycles.append(" → ".join(cycle))
            else:
                visit(other, trail + [other])

    for app in graph:
        visit(app, [app])
    assert not cycles, "应用之间有循环导入：\n" + "\n".join(f"  {c}" for c in sorted(set(cycles)))
