"""docs/contracts.md stays true: every name its code blocks import exists (a rename that misses the page fails)."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "contracts.md"


def imported_names() -> list[tuple[str, str]]:
    """(module, name) of every `from M import a, b` / `from M import (...)` in the page's python blocks."""
    pairs = []
    for block in re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S):
        code = "\n".join(line.split("#", 1)[0] for line in block.splitlines())
        for module, names in re.findall(r"from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n]+)", code):
            for name in names.strip("()").replace("\n", " ").split(","):
                name = name.strip().split(" as ")[0]
                if name:
                    pairs.append((module, name))
    return pairs


def test_every_name_on_the_contracts_page_exists():
    pairs = imported_names()
    assert len(pairs) > 60
    missing = []
    for module, name in pairs:
        try:
            target = importlib.import_module(module)
        except ImportError as exc:
            missing.append(f"{module} ({exc})")
            continue
        if not hasattr(target, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert missing == []
