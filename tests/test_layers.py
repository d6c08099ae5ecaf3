"""The layering the README promises, checked on the source itself (every module under
src/pkanban, read as a syntax tree, so imports inside functions count too).

domain/ is pure Python; store/ holds every SQL statement; services/ is the one door to the data
(the shells talk to a `BoardSession`); io/ writes domain values and never calls a service; the
shells (cli/, tui/) never touch the store or sqlite3.
"""

import ast
from pathlib import Path

import pytest

import pkanban

SOURCE = Path(pkanban.__file__).parent

FORBIDDEN_IMPORTS = {
    "tui": ("sqlite3", "pkanban.store"),
    "cli": ("sqlite3", "pkanban.store"),
    "domain": (
        "sqlite3",
        "sqlite_utils",
        "textual",
        "pkanban.store",
        "pkanban.services",
        "pkanban.io",
        "pkanban.tui",
        "pkanban.cli",
    ),
    "io": ("pkanban.services", "pkanban.tui", "pkanban.cli"),
    "store": ("pkanban.services", "pkanban.tui", "pkanban.cli"),
}

RUNS_SQL_OUTSIDE_STORE = {
    # Being reworked on the "replica" branch, which moves its SQL into store/.
    "services/replica.py",  # branch "replica"
}


def _modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(SOURCE).as_posix()


def _layer(path: Path) -> str:
    parts = path.relative_to(SOURCE).parts
    return parts[0] if len(parts) > 1 else ""


def _package(path: Path) -> list[str]:
    return ["pkanban", *path.relative_to(SOURCE).parent.parts]


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, relative imports resolved, `from a import b` as a.b too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package(path)[: len(_package(path)) - node.level + 1]
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _breaks(module: str, forbidden: str) -> bool:
    return module == forbidden or module.startswith(forbidden + ".")


def sql_calls(path: Path) -> list[int]:
    """Lines where `path` calls `.execute(…)` or `.executemany(…)` on anything."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("execute", "executemany", "executescript")
    ]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_IMPORTS))
def test_each_layer_imports_only_what_lies_below_it(layer):
    broken = sorted(
        {
            f"{_name(path)} imports {forbidden}"
            for path in _modules()
            if _layer(path) == layer
            for module in imported_modules(path)
            for forbidden in FORBIDDEN_IMPORTS[layer]
            if _breaks(module, forbidden)
        }
    )
    assert not broken, "\n".join(broken)


def test_sql_runs_only_in_the_store():
    outside = [
        f"{_name(path)}:{line}"
        for path in _modules()
        if _layer(path) != "store" and _name(path) not in RUNS_SQL_OUTSIDE_STORE
        for line in sql_calls(path)
    ]
    assert not outside, "SQL outside store/:\n" + "\n".join(outside)


def test_the_checker_sees_what_it_is_meant_to_catch():
    """A guard that can go stale is no guard: it must see a plain import, an import inside a
    function, and a call to execute."""
    assert "sqlite3" in imported_modules(SOURCE / "store" / "board.py")
    assert "pkanban.io.ics.render" in imported_modules(SOURCE / "services" / "calendar.py")
    assert sql_calls(SOURCE / "store" / "board.py")
    assert len(_modules()) > 50
