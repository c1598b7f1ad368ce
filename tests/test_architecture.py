"""The import graph follows the layers in docs/architecture.md: nothing points up, nothing circles.

Every import is read from the source, at module level and inside functions (lazy imports count),
so a cycle cannot hide behind a function body; imports under ``if TYPE_CHECKING:`` are left out,
since they never run (a check's type hint naming its exercise is not a dependency). Loading our own modules by name
(``importlib.import_module``, ``__import__``) is not allowed: a static reader could not follow it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("course", "graders", "instructor")

#: layer -> the layers its modules may import (besides their own layer). Longest prefix wins.
ALLOWED: dict[str, set[str]] = {
    "course.sandbox": set(),
    "course.aws": {"course.sandbox"},
    "course.quiz": set(),
    "course.ipython": set(),
    "course.progress": {"course.quiz"},
    "course.views": {"course.aws", "course.sandbox", "course.progress"},
    "course.remote": {"course.aws", "course.sandbox"},
    "course.session": {"course.aws", "course.sandbox", "course.ipython", "course.remote"},
    "course": {"course.session", "course.sandbox"},  # the package's face: course.start() and errors
    "graders": {"course", "course.session", "course.sandbox", "course.aws", "course.quiz"},
    "instructor": {"course", "course.session", "course.sandbox", "course.aws", "course.quiz", "course.views",
                   "course.ipython", "course.progress", "course.remote", "graders"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The module of ours that ``name`` (a module or ``module.attribute``) refers to."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:`` (annotations only: they never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return skipped


def _imports(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(), str(MODULES[module]))
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {resolved for t in targets if (resolved := _resolve(t)) and resolved != module}
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _layer(module: str) -> str:
    return max((layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")), key=len)


def test_every_module_belongs_to_a_layer():
    assert all(_layer(module) for module in MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    layer = _layer(module)
    upward = sorted(t for t in GRAPH[module] if _layer(t) != layer and _layer(t) not in ALLOWED[layer])
    assert not upward, f"{module} ({layer}) imports {upward}: see docs/architecture.md for the layers"


def test_no_import_cycle():
    """Tarjan's strongly connected components over the whole graph: each must be one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert cycles == []


def test_the_sandbox_knows_no_service():
    """The bottom layer names no AWS behaviour: behaviours are given to it, in order."""
    assert not any(t.startswith("course.aws") for m in MODULES if _layer(m) == "course.sandbox" for t in GRAPH[m])


@pytest.mark.parametrize("package", ["course", "graders"])
def test_no_module_is_loaded_by_name(package):
    """``importlib.import_module`` and ``__import__`` hide edges from every static reader."""
    offenders = []
    for module, path in MODULES.items():
        if module.split(".")[0] != package:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "import_module" or \
                    isinstance(node, ast.Name) and node.id == "__import__":
                offenders.append(f"{module}:{node.lineno}")
    assert offenders == []
