"""bench/gpu_loop.py, the prepared GPU check, runs end to end without the lake's packages.

The lent GPU machine has torch, numpy, pyarrow and safetensors but no deltalake, duckdb or dagster, and
nothing can be installed there: this runs the script on CPU at a tiny size with those imports blocked."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCKED = ("deltalake", "duckdb", "dagster")


def test_gpu_loop_runs_two_generations_without_lake_packages(tmp_path):
    code = ("import runpy, sys\n"
            f"for name in {BLOCKED!r}:\n    sys.modules[name] = None\n"
            "sys.argv = ['bench/gpu_loop.py'] + sys.argv[1:]\n"
            "runpy.run_path('bench/gpu_loop.py', run_name='__main__')\n")
    args = ["--device", "cpu", "--games", "4", "--batch-games", "4", "--budget", "8", "--steps", "6",
            "--batch-size", "32", "--channels", "16", "--blocks", "1", "--out", str(tmp_path)]
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "gpu_loop.json").read_text())
    assert [g["generation"] for g in report["generations"]] == [0, 1]
    for gen in report["generations"]:
        play, train = gen["selfplay"], gen["train"]
        assert play["games"] + play["unfinished"] == 4 and play["games"] >= 1
        assert play["games_per_s"] > 0 and play["evals_per_s"] > 0 and play["simulations"] > 0
        assert train["steps"] == 6 and train["samples_per_s"] > 0 and train["train_positions"] > 0
    assert "gen 1 train:" in done.stdout
