"""The shared lake fixtures give working, isolated lakes (local and real S3)."""
import os

import pytest

from ringrift_lake import tables


def test_lake_fixture_round_trips_a_table(lake):
    assert os.environ["RINGRIFT_LAKE"] == lake.root
    row = {"config": "square8_2p", "player_id": "random", "rating": 400.0, "stderr": 0.0, "games": 1,
           "wins": 0.5, "matches_version": 0, "snapshot_id": "s1", "computed_at": None}
    assert tables.read(lake, "elo").num_rows == 0
    tables.append(lake, "elo", [row])
    assert tables.read(lake, "elo", columns=["player_id"]).to_pylist() == [{"player_id": "random"}]


@pytest.mark.s3
def test_s3_lakes_are_isolated(s3_server):
    first, second = s3_server.lake("iso-a"), s3_server.lake("iso-b")
    tables.append(first, "elo", [{"config": "c", "player_id": "p", "snapshot_id": "x"}])
    assert tables.read(first, "elo").num_rows == 1
    assert tables.read(second, "elo").num_rows == 0
