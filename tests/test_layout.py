"""The package's import structure: no import cycles (counting imports inside functions too), and the
library never imports the UI.

The graph is built from the source (AST), so an import hidden inside a function counts like one at the top
of the module. An edge from a module to its own parent package (implied by Python when a submodule is
imported) is not counted; an explicit import of a package counts as an edge to its ``__init__``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = "workbench"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE


def module_names() -> dict[str, Path]:
    """Every module of the package: dotted name -> file."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(importer: str, is_package: bool, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (anywhere in its body)."""
    modules = module_names()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node.level, node.module)
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    targets.append(sub if sub in modules else base)
            for t in targets:
                # "import a.b.c" binds a but loads a.b.c: the edge goes to the deepest package module named
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != name and not name.startswith(t + "."):
                    graph[name].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _describe(graph, comp) -> str:
    members = set(comp)
    edges = [f"{a} -> {b}" for a in comp for b in sorted(graph[a]) if b in members]
    return "; ".join(edges)


SUBPACKAGES = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())
#: cycles known to exist, by subpackage; the mark is strict, so the test fails once the cycle is gone (drop the entry)
@pytest.mark.parametrize("package", [*SUBPACKAGES, "(top level)"])
def test_no_import_cycles(package):
    """No cycle touches ``package`` (a subpackage, or the package's top-level modules)."""
    graph = import_graph()
    prefix = f"{PACKAGE}.{package}"

    def touches(module: str) -> bool:
        if package == "(top level)":
            return module.count(".") <= 1 and module.rpartition(".")[2] not in SUBPACKAGES
        return module == prefix or module.startswith(prefix + ".")

    found = [c for c in cycles(graph) if any(touches(m) for m in c)]
    assert not found, "import cycles:\n" + "\n".join(_describe(graph, c) for c in found)


def test_library_never_imports_the_ui():
    graph = import_graph()
    ui = f"{PACKAGE}.ui"
    offenders = [f"{m} -> {t}" for m, targets in sorted(graph.items())
                 if not (m == ui or m.startswith(ui + ".") or m.startswith(f"{PACKAGE}.cli"))
                 for t in sorted(targets) if t == ui or t.startswith(ui + ".")]
    assert not offenders, "library modules importing the UI:\n" + "\n".join(offenders)


def test_importing_the_package_and_the_cli_loads_no_heavy_library():
    code = ("import sys, workbench.cli, workbench.mt, workbench.mt.engine, workbench.glossary, workbench.align; "
            "workbench.cli.build_parser(); "
            "print(sorted(m for m in ('torch', 'transformers', 'ctranslate2', 'gradio', 'sentence_transformers') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT.parent, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_graph_sees_imports_inside_functions():
    # the checker itself: a function-level import is an edge, and a two-module cycle is reported
    assert f"{PACKAGE}.core.errors" in import_graph()[f"{PACKAGE}.cli"]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
