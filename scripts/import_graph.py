"""The project's import graph: every import of every module (function-level ones too), by layer.

    python scripts/import_graph.py            # package edges, upward imports, module cycles

Layers, bottom to top: engine <- ringrift_lake <- training <- assets <- cli. A module may import its
own layer and the layers below; `tests/test_architecture.py` asserts that, and that there is no cycle
between modules, using the same functions.
"""
from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

LAYERS = ("engine", "ringrift_lake", "training", "assets", "cli")
ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str] | frozenset = frozenset()) -> set[str]:
    """Absolute names of the modules `path` imports (relative imports resolved), at any depth.
    `from a.b import c` names the module a.b.c when that is one of `modules`, else a.b (c is an attribute)."""
    tree = ast.parse(path.read_text(), str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            for alias in node.names:
                found.add(f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix)
    return found


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for layer in LAYERS for p in sorted((ROOT / layer).rglob("*.py"))}


def graph() -> dict[str, set[str]]:
    """module -> the project modules it imports."""
    modules = project_modules()
    return {name: {imp for imp in imports_of(path, set(modules)) if imp in modules and imp != name}
            for name, path in modules.items()}


def layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def upward_imports(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in edges.items() for b in targets if layer(b) > layer(a))


def external_imports(top_levels: tuple[str, ...], layers: tuple[str, ...]) -> list[tuple[str, str]]:
    """(module, import) where a module of `layers` imports one of the `top_levels` packages."""
    out = []
    for name, path in project_modules().items():
        if name.split(".")[0] in layers:
            out += [(name, imp) for imp in sorted(imports_of(path)) if imp.split(".")[0] in top_levels]
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    edges = graph()
    packages = defaultdict(set)
    for a, targets in edges.items():
        for b in targets:
            if a.split(".")[0] != b.split(".")[0]:
                packages[a.split(".")[0]].add(b.split(".")[0])
    print(f"{len(edges)} modules, {sum(len(t) for t in edges.values())} imports between them")
    for name in LAYERS:
        print(f"  {name} -> {', '.join(sorted(packages[name], key=LAYERS.index)) or '(nothing of ours)'}")
    up, loops = upward_imports(edges), cycles(edges)
    print(f"upward imports: {len(up)}" + "".join(f"\n  {a} -> {b}" for a, b in up))
    print(f"module cycles: {len(loops)}" + "".join(f"\n  {' <-> '.join(c)}" for c in loops))
    return 1 if up or loops else 0


if __name__ == "__main__":
    sys.exit(main())
