"""The house rules, checked: imports point one way (engine <- ringrift_lake <- training <- assets <- cli)
with no cycle between modules, the lake imports neither torch nor dagster (not even inside functions),
the lake commands run without loading either, and no source file grows past 400 lines."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import import_graph  # noqa: E402


def test_no_module_imports_a_higher_layer_and_there_is_no_cycle():
    edges = import_graph.graph()
    assert len(edges) > 100
    assert import_graph.upward_imports(edges) == []
    assert import_graph.cycles(edges) == []


def test_the_engine_and_the_lake_import_neither_torch_nor_dagster_and_training_no_dagster():
    heavy = ("torch", "dagster", "dagster_webserver", "dagster_pipes", "safetensors")
    assert import_graph.external_imports(heavy, ("engine", "ringrift_lake")) == []
    assert import_graph.external_imports(("dagster",), ("training",)) == []
    assert import_graph.external_imports(("deltalake", "duckdb", "pyarrow", "polars", "numpy"), ("engine",)) == []


LAKE_COMMANDS = [["status"], ["check"], ["consolidate"], ["sql", "SELECT count(*) AS n FROM games"],
                 ["maintenance"], ["elo", "--config", "square8_2p"], ["fleet"], ["--help"]]


@pytest.mark.parametrize("argv", LAKE_COMMANDS, ids=lambda a: a[0])
def test_lake_commands_load_neither_torch_nor_dagster(argv, tmp_path, lake_env):
    code = ("import sys; from cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "loaded = [m for m in ('torch', 'dagster') if m in sys.modules]\n"
            "print('LOADED', loaded)")
    env = {**lake_env, "RINGRIFT_LAKE": str(tmp_path / "lake")}
    out = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert "LOADED []" in out.stdout, (out.stdout[-2000:], out.stderr[-2000:])


def test_no_source_file_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for layer in (*import_graph.LAYERS, "tests", "bench", "scripts")
            for p in (ROOT / layer).rglob("*.py") if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
