"""Each kind of bad game lands in quarantine with its reason; the good games around it are kept."""
from __future__ import annotations

import json

import pytest

from ringrift_lake import tables
from ringrift_lake.consolidate import QUARANTINE_REASONS, consolidate

from consolidate_rows import altered, moves_of, reference_rows, with_moves, write


def _bad_rows(base: dict) -> dict[str, dict]:
    """game_id -> crafted raw row; the game_id names the reason it must get."""
    moves = moves_of(base)
    other_seat = 1 if base["winner"] == 2 else 2
    bad_player = [dict(m) for m in moves]
    bad_player[1]["player"] = 3
    mid_game = len(moves) // 2
    rows = [
        with_moves(base, "illegal_move", moves[:1] + moves),                     # place_ring again at ply 2
        altered(base, "result_mismatch", winner=other_seat),
        altered(base, "result_unconfirmed", winner=other_seat, validation_mode="legacy"),
        with_moves(base, "too_few_moves", moves[:3]),
        with_moves(base, "not_finished", moves[:mid_game]),                      # engine: game still active
        altered(base, "not_finished-recorded", status="active", winner=None, reason=None),
        altered(base, "schema_error-config", config="square9_2p"),
        altered(base, "schema_error-json", moves=base["moves"][:4] + ["{not json"] + base["moves"][5:]),
        altered(base, "schema_error-missing", status=None),
        altered(base, "schema_error-mode", validation_mode="lenient"),
        altered(base, "move_count_matches", num_moves=base["num_moves"] + 1),
        with_moves(base, "mover_is_seat", bad_player),
        altered(base, "completed_with_winner", winner=3),
        altered(base, "one_config", board_type="hex8"),
    ]
    return {row["game_id"]: row for row in rows}


def _quarantine(lake) -> dict[str, dict]:
    rows = tables.read(lake, "quarantine").to_pylist()
    return {row["game_id"]: row for row in rows}


def test_each_bad_game_gets_its_reason_and_nothing_else_is_lost(local_lake):
    good = reference_rows("square8_2p", 8)
    bad = _bad_rows(good[0])
    write(local_lake, good[1:] + list(bad.values()))
    report = consolidate(local_lake, workers=1)

    quarantined = _quarantine(local_lake)
    assert set(quarantined) == set(bad)
    for game_id, row in quarantined.items():
        assert row["reason"] == game_id.split("-")[0], (game_id, row["reason"], row["detail"])
        assert row["reason"] in QUARANTINE_REASONS
        assert json.loads(row["payload"])["game_id"] == game_id
        assert row["raw_version"] == tables.version(local_lake, "raw_games")
    assert quarantined["illegal_move"]["ply"] == 2
    assert "RR-CANON" in quarantined["illegal_move"]["detail"]
    assert quarantined["schema_error-json"]["ply"] == 5
    assert quarantined["mover_is_seat"]["ply"] == 2
    assert quarantined["schema_error-config"]["config"] == "unknown"

    games = tables.read(local_lake, "games", columns=["game_id"]).column("game_id").to_pylist()
    assert sorted(games) == sorted(r["game_id"] for r in good[1:])
    assert report.games_added == 7 and report.quarantined_total == len(bad)
    moves = tables.read(local_lake, "moves", columns=["game_id"]).column("game_id").to_pylist()
    assert set(moves) == set(games) and len(moves) == sum(r["num_moves"] for r in good[1:])


def test_duplicate_conflict_against_games_and_within_a_batch(local_lake):
    good = reference_rows("square8_2p", 4)
    write(local_lake, good[:2])
    consolidate(local_lake, workers=1)
    kept = tables.read(local_lake, "games", columns=["game_id", "content_hash"]).to_pylist()

    changed = altered(good[0], good[0]["game_id"], winner=1 if good[0]["winner"] == 2 else 2)
    twin_a = altered(good[2], "twin")
    twin_b = altered(good[3], "twin")
    write(local_lake, [changed, good[1], twin_a, twin_b, good[2]])
    report = consolidate(local_lake, workers=1)

    assert report.duplicates_skipped == 1                       # good[1] re-sent unchanged
    quarantine = tables.read(local_lake, "quarantine").to_pylist()
    assert sorted((q["game_id"], q["reason"]) for q in quarantine) == [
        (good[0]["game_id"], "duplicate_conflict"), ("twin", "duplicate_conflict")]
    games = tables.read(local_lake, "games", columns=["game_id", "content_hash"]).to_pylist()
    assert [g for g in games if g["game_id"] in {k["game_id"] for k in kept}] == kept
    assert sorted(g["game_id"] for g in games) == sorted([good[0]["game_id"], good[1]["game_id"],
                                                          good[2]["game_id"]])


@pytest.mark.s3
def test_quarantine_on_s3(s3_lake):
    good = reference_rows("hex8_2p", 3)
    write(s3_lake, good + [altered(good[0], "result_mismatch", winner=1 if good[0]["winner"] == 2 else 2)])
    report = consolidate(s3_lake, workers=1)
    assert report.games_added == 3 and report.quarantined == {"result_mismatch": 1}
    assert consolidate(s3_lake, workers=1).files_read == 0
