"""The real UI and daemon: sensors react to games written outside Dagster; the asset graph renders.

One `dagster-webserver` + `dagster-daemon` pair on a temporary DAGSTER_HOME
and local lake serves both tests; the fixture stops them with SIGTERM and
fails if either did not exit cleanly.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from dagster_ui import REPO, DagsterUI, observations, runs
from ringrift_lake import tables
from ringrift_lake.location import Lake

pytestmark = pytest.mark.ui

CONFIG = "square8_2p"
LOOP_ASSETS = ("raw_games", "games", "moves", "quarantine", "training_dataset", "candidate_model",
               "gauntlet_matches", "elo_snapshot", "champion")
OTHER_ASSETS = ("selfplay_allocation", "fleet_workers", "generation")    # the scheduler's and the generation loop's
# Small enough for a CI machine: a tiny network, a few gauntlet games, sensors every 5 s.
LOOP_ENV = {
    "RINGRIFT_SENSOR_INTERVAL_S": "5",
    "RINGRIFT_RETRAIN_MIN_SAMPLES": "200", "RINGRIFT_RETRAIN_RATIO": "0.5", "RINGRIFT_RETRAIN_COOLDOWN_S": "3600",
    "RINGRIFT_TRAIN_EPOCHS": "1", "RINGRIFT_TRAIN_CHANNELS": "8", "RINGRIFT_TRAIN_BLOCKS": "1",
    "RINGRIFT_TRAIN_BATCH_SIZE": "32", "RINGRIFT_TRAIN_MAX_STEPS": "6", "RINGRIFT_TRAIN_DEVICE": "cpu",
    "RINGRIFT_TRAIN_VAL_FRACTION": "0.5",
    "RINGRIFT_GAUNTLET_GAMES": "2", "RINGRIFT_GAUNTLET_WORKERS": "1", "RINGRIFT_PROMOTION_MIN_GAMES": "2",
}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ui(tmp_path_factory):
    base = tmp_path_factory.mktemp("dagster-ui")
    home = base / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RINGRIFT_", "DAGSTER_"))}
    env.update(LOOP_ENV, DAGSTER_HOME=str(home), RINGRIFT_LAKE=str(base / "lake"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
    server = DagsterUI(home, env, _free_port(), base)
    try:
        assert sorted(server.start()) == sorted(LOOP_ASSETS + OTHER_ASSETS)
        yield server
    finally:
        codes = server.stop()
        assert codes == {"webserver": 0, "daemon": 0}, codes


def _finished(ui, job: str, partition: str) -> dict | None:
    for run in runs(ui, job):
        if run["tags"].get("dagster/partition") != partition:
            continue
        if run["status"] in ("FAILURE", "CANCELED"):
            raise AssertionError(f"{job} run {run['runId']} ended {run['status']}")
        if run["status"] == "SUCCESS":
            return run
    return None


def test_sensors_consolidate_retrain_and_evaluate(ui):
    lake = Lake.at(ui.env["RINGRIFT_LAKE"], ui.env)
    # A selfplay worker outside Dagster appends games to raw_games.
    subprocess.run([sys.executable, "-m", "cli", "selfplay", "--config", CONFIG, "--games", "8",
                    "--agent", "heuristic", "--workers", "0", "--quiet"], cwd=REPO, env=ui.env, check=True)
    raw = tables.version(lake, "raw_games")

    consolidated = ui.wait_for("the raw_games sensor's consolidation run",
                               lambda: _finished(ui, "consolidate_job", CONFIG), timeout_s=300)
    assert consolidated["tags"]["ringrift/raw_games_version"] == str(raw)
    seen = [o for o in observations(ui, "raw_games") if o["partition"] == CONFIG]
    assert any({"key": "dagster/data_version", "value": str(raw)} in o["tags"] for o in seen)
    assert tables.read(lake, "games").num_rows > 0

    retrained = ui.wait_for("the retrain sensor's training run", lambda: _finished(ui, "retrain_job", CONFIG),
                            timeout_s=600)
    assert int(retrained["tags"]["ringrift/new_samples"]) >= 200
    (model,) = tables.read(lake, "models").to_pylist()
    assert model["status"] in ("candidate", "champion", "rejected")

    evaluated = ui.wait_for("the candidate sensor's evaluation run", lambda: _finished(ui, "evaluate_job", CONFIG),
                            timeout_s=600)
    assert evaluated["tags"]["ringrift/model_id"] == model["model_id"]
    (model,) = tables.read(lake, "models").to_pylist()
    assert json.loads(model["decision"])["outcome"]
    assert tables.read(lake, "elo").num_rows >= 3
    # The gauntlet's own games are new raw games: consolidated too; then everything comes to rest
    # (the retrain cooldown holds further training back), so the processes can stop cleanly.
    ui.wait_for("the gauntlet games' consolidation", lambda: _consolidated_version(ui) == tables.version(
        lake, "raw_games"), timeout_s=300)
    ui.wait_for("no run in progress", lambda: all(r["status"] in DONE for r in runs(ui)), timeout_s=300)


DONE = ("SUCCESS", "FAILURE", "CANCELED")


def _consolidated_version(ui) -> int | None:
    done = [int(r["tags"]["ringrift/raw_games_version"]) for r in runs(ui, "consolidate_job")
            if r["status"] == "SUCCESS" and "ringrift/raw_games_version" in r["tags"]]
    return max(done, default=None)


def _chromium() -> str:
    subprocess.run(["bash", str(REPO / "scripts" / "install_chromium.sh")], check=True)
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "scripts/install_chromium.sh did not provide chromium"
    return found


def _headless(chromium: str, profile, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--window-size=2000,1200", "--virtual-time-budget=30000"]
    return subprocess.run([chromium, *flags, *args], capture_output=True, text=True, timeout=180)


def test_asset_graph_in_headless_chromium(ui, tmp_path):
    chromium = _chromium()
    ui.graphql("mutation { setNuxSeen }")          # no "join the community" dialog over the graph
    groups = {n["groupName"] for n in ui.graphql("{ assetNodes { groupName } }")["assetNodes"]}
    assert groups == {"selfplay", "ingest", "export", "train", "evaluate", "scheduler", "generations"}
    # The global lineage page, every group expanded (the UI collapses groups unless the URL names them).
    url = f"{ui.url}/asset-groups?expanded=" + ",".join(f"global@global:{g}" for g in sorted(groups))
    dom = _headless(chromium, tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    missing = [name for name in LOOP_ASSETS if name not in dom.stdout]     # the loop; the page may clip others
    assert not missing, f"asset graph page lacks {missing}"
    shot = tmp_path / "asset_graph.png"
    taken = _headless(chromium, tmp_path / "profile", f"--screenshot={shot}", url)
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    keep = REPO / "out" / "ui"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, keep / "asset_graph.png")
