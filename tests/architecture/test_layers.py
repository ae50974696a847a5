"""The layer rule, read from the code's own imports (every import, inside functions too).

    bot/main  ──▶  handlers/, schedules/  ──▶  bot/<feature>/ (in ORDER)  ──▶  bot/ (shared core), bot/models

- only `bot/main` (composition) imports `handlers` or `schedules`, and nothing imports `bot.main`;
- a listener or job imports no other listener or job module (the slash-command router and the
  payload readers excepted) and runs no SQL;
- a feature's `views` module imports only the shared Block Kit helpers (and the zone reader) and its own feature;
- packages stand in one order (ORDER, bottom to top, stated the same in docs/ARCHITECTURE.md): a module
  imports only its own package and packages below it, so there is no cycle between packages either;
- no import cycles, so every path can be followed top-down; no module over the size limit.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "schedules")
MAX_LINES = 400
HANDLER_SHARED = {"handlers.commands.router", "handlers.requests", "handlers.payloads"}
VIEW_SHARED = {"bot.blocks", "bot.calendar.zones"}  # zones: quoting back the zone a member typed

# The packages bottom to top; a tuple is one level whose packages do not import each other. "bot" is the
# shared core (bot/*.py); a module belongs to the longest entry it is within.
ORDER: tuple[str | tuple[str, ...], ...] = (
    "bot.models",
    "bot",
    "bot.calendar",
    "bot.workspaces",
    "bot.runtime",
    "bot.inbound",
    "bot.syllabus",
    "bot.cohorts",
    "bot.sessions",
    ("bot.questionnaire", "bot.share", "bot.ama"),
    "bot.groups",
    "bot.completion",
    "bot.commitments",
    "bot.buddies",
    "bot.retention",
    "bot.rhythm",
    "bot.feeds",
    "bot.privacy",
    "bot.doctor",
    "bot.home",
    ("handlers", "schedules"),
    "bot.main",
)
LEVEL = {package: level for level, entry in enumerate(ORDER)
         for package in ((entry,) if isinstance(entry, str) else entry)}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every project module `name` imports, resolved to the deepest module that exists."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


GRAPH = {name: set(_imports(name, path)) for name, path in MODULES.items()}


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _feature(name: str) -> str | None:
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" and len(parts) > 2 else None


def _package(name: str) -> str:
    """The ORDER entry holding module `name`: the longest one it is within."""
    return max((package for package in LEVEL if _within(name, package)), key=len)


def _package_edges() -> dict[tuple[str, str], str]:
    """(importing package, imported package) → one module import that makes the edge."""
    edges: dict[tuple[str, str], str] = {}
    for name, targets in sorted(GRAPH.items()):
        for target in sorted(targets):
            if _package(name) != _package(target):
                edges.setdefault((_package(name), _package(target)), f"{name} → {target}")
    return edges


def test_every_package_has_its_place_in_the_order() -> None:
    unplaced = sorted({feature for name in MODULES if (feature := _feature(name)) and feature not in LEVEL})
    assert unplaced == [], f"place these in ORDER (and docs/ARCHITECTURE.md): {unplaced}"


def test_no_cycle_between_packages() -> None:
    edges = _package_edges()
    graph: dict[str, set[str]] = {}
    for importer, imported in edges:
        graph.setdefault(importer, set()).add(imported)
    cycles = []
    for cycle in _cycles(graph):
        steps = cycle.split(" → ")
        cycles.append(f"{cycle}: " + "; ".join(edges[step] for step in pairwise(steps)))
    assert cycles == [], "\n".join(cycles)


def test_packages_import_only_packages_below_them_in_the_order() -> None:
    wrong = [f"{importer} (level {LEVEL[importer]}) imports {imported} (level {LEVEL[imported]}): {why}"
             for (importer, imported), why in _package_edges().items() if LEVEL[imported] >= LEVEL[importer]]
    assert wrong == [], "\n".join(wrong)


def test_only_the_composition_package_imports_listeners_and_jobs() -> None:
    wrong = [f"{name} → {target}" for name, targets in GRAPH.items() for target in targets
             if not _within(name, "bot.main")
             and (_within(target, "handlers") or _within(target, "schedules") or _within(target, "bot.main"))
             and not (_within(name, "handlers") and _within(target, "handlers"))
             and not (_within(name, "schedules") and _within(target, "schedules"))]
    assert wrong == [], "\n".join(wrong)


def test_listeners_and_jobs_import_no_sibling_and_run_no_sql() -> None:
    wrong = []
    for name, path in MODULES.items():
        if not (_within(name, "handlers") or _within(name, "schedules")) or path.name == "__init__.py":
            continue
        kind = name.split(".")[0]
        wrong += [f"{name} → {t}" for t in GRAPH[name] if _within(t, kind) and t not in HANDLER_SHARED
                  and not path.parent.joinpath("__init__.py").samefile(MODULES[t]) if t in MODULES]
        wrong += [f"{name} → {t}" for t in GRAPH[name] if _within(t, "bot.models")]
        source = path.read_text()
        wrong += [f"{name} runs SQL ({word!r})" for word in ("from sqlalchemy import", ".execute(", "select(")
                  if word in source]
    assert wrong == [], "\n".join(wrong)


def test_views_import_only_block_kit_helpers_and_their_own_feature() -> None:
    wrong = []
    for name in MODULES:
        if name.rsplit(".", 1)[-1] != "views" or _feature(name) is None:
            continue
        own = _feature(name)
        wrong += [f"{name} → {t}" for t in GRAPH[name] if t not in VIEW_SHARED and not _within(t, own)]
    assert wrong == [], "\n".join(wrong)


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every cycle a depth-first walk of `graph` meets, as "a → b → … → a"."""
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(" → ".join(trail[trail.index(target):] + [target]) if target in trail else target)
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_the_import_graph_has_no_cycles() -> None:
    cycles = _cycles(GRAPH)
    assert cycles == [], "\n".join(cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_too_long(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by use case"


def test_the_rule_sees_real_imports() -> None:
    """Guards the guard: a walk that found nothing would pass every rule above."""
    assert "handlers" in GRAPH["bot.main.app"]
    assert "bot.blocks" in GRAPH["bot.groups.views"]
    assert len(MODULES) > 60
