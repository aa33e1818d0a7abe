"""The data flow is the architecture: imports point down the stages, never up, never round.

source -> document -> matching -> kinds -> rules -> context -> engine -> results -> formatters
-> front ends. A module may import from its own stage and the stages before it; every import
counts, also those inside functions and under TYPE_CHECKING. Only front ends print.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "healthlint"

#: The stages in data-flow order; a module belongs to the first entry its name starts with.
STAGES: tuple[tuple[str, ...], ...] = (
    ("healthlint.errors", "healthlint.finding", "healthlint.parallel", "healthlint.version"),
    ("healthlint.sources", "healthlint.images"),  # pictures are a source of text
    ("healthlint.config",),
    ("healthlint.document",),
    ("healthlint.matching",),
    ("healthlint.kinds",),
    ("healthlint.rules",),
    ("healthlint.context",),
    ("healthlint.engine", "healthlint"),  # the package root: the public API over the engine
    ("healthlint.results",),
    ("healthlint.run", "healthlint.formatters"),
    ("healthlint.frontends", "healthlint.__main__"),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> int:
    for index, prefixes in enumerate(STAGES):
        # "healthlint" stands for the package root alone, every other entry for its subtree
        if any(module == p or (p != "healthlint" and module.startswith(p + ".")) for p in prefixes):
            return index
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES")


def _imports(path: Path) -> set[str]:
    """Every healthlint module `path` imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("healthlint"))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("healthlint")
        ):
            # `from healthlint.context import negation` imports a module of that package
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if _exists(candidate) else str(node.module))
    return found


def _exists(module: str) -> bool:
    relative = Path(*module.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative).is_dir()


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_data_flow(module: str) -> None:
    upward = sorted(i for i in GRAPH[module] if _stage(i) > _stage(module))
    assert upward == [], f"{module} (stage {_stage(module)}) imports a later stage: {upward}"


def test_no_import_cycles() -> None:
    """Between modules, not just stages: a cycle makes import order matter."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH:
                continue
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target] if target in path else [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if state.get(target) is None:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if _stage(m) < _stage("healthlint.frontends"))
)
def test_only_front_ends_print(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    prints = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    streams = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("stdout", "stderr")
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    ]
    assert prints == [] and streams == [], f"{module} prints (lines {prints + streams})"
