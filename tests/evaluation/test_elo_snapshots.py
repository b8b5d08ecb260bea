"""Elo snapshots in a real lake: tagged with the matches version, appended (history), plotted, tabulated."""
from __future__ import annotations

import pytest

from ringrift_lake import tables
from ringrift_lake.elo.report import leaderboard_markdown, plot_history
from ringrift_lake.elo.snapshot import elo_history, fit_config, latest_rows, write_snapshot
from ringrift_lake.location import Lake
from simulated_matches import simulate_pool

STRENGTHS = {"random": 400.0, "heuristic": 900.0, "model:a": 1200.0}


@pytest.fixture
def lake(tmp_path):
    return Lake.at(str(tmp_path / "lake"))


def test_snapshots_are_appended_and_tagged_with_the_matches_version(lake, tmp_path):
    assert fit_config(lake, "square8_2p") is None
    tables.append(lake, "matches", simulate_pool(STRENGTHS, 300, 2, seed=1))
    tables.append(lake, "matches", simulate_pool({"random": 400.0, "x": 500.0}, 50, 2, seed=9, config="hex8_2p"))
    first = fit_config(lake, "square8_2p")
    assert first.matches_version == tables.version(lake, "matches")
    assert set(first.fit.players) == set(STRENGTHS)        # hex8_2p's players are not in square8_2p's fit
    write_snapshot(lake, first)
    v2 = tables.append(lake, "matches", simulate_pool(STRENGTHS, 300, 2, seed=2))
    second = fit_config(lake, "square8_2p")
    write_snapshot(lake, second)
    assert second.matches_version == v2 != first.matches_version
    assert second.fit.error("model:a") < first.fit.error("model:a")

    history = elo_history(lake, "square8_2p")
    assert len(history) == 6 and {r["snapshot_id"] for r in history} == {first.snapshot_id, second.snapshot_id}
    latest = latest_rows(history)
    assert [r["player_id"] for r in latest] == ["model:a", "heuristic", "random"]
    assert {r["matches_version"] for r in latest} == {v2}
    assert latest[-1]["rating"] == pytest.approx(400.0) and latest[-1]["stderr"] == 0.0
    a_games = sum(1 for m in tables.read(lake, "matches").to_pylist() if "model:a" in m["players"])
    assert latest[0]["games"] == a_games

    table = leaderboard_markdown(latest, champion="model:a")
    lines = table.splitlines()
    assert lines[0].startswith("|") and "model:a (champion)" in lines[2] and "random" in lines[4]

    png = tmp_path / "elo.png"
    assert plot_history(history, str(png), "square8_2p") == ["model:a", "heuristic", "random"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
