"""Checks on raw_games contents shared by the lake tests (real engine replays, no shortcuts)."""
from __future__ import annotations

import collections
import json

from engine import validate_game

from ringrift_lake import tables


def raw_rows(lake, columns=None) -> list[dict]:
    return tables.read(lake, "raw_games", columns=columns).to_pylist()


def duplicate_ids(rows) -> dict[str, int]:
    counts = collections.Counter(r["game_id"] for r in rows)
    return {gid: n for gid, n in counts.items() if n > 1}


def replay_failures(rows) -> list[str]:
    """Rows that are not a complete game replaying to their recorded result (empty = all good)."""
    bad = []
    for row in rows:
        moves = [json.loads(m) for m in row["moves"]]
        if row["status"] != "completed" or row["num_moves"] != len(moves) or not moves:
            bad.append(f"{row['game_id']}: status {row['status']}, {len(moves)} moves vs {row['num_moves']}")
            continue
        check = validate_game(row["board_type"], row["num_players"], moves,
                              rules_options=json.loads(row["rules_options"]), expected_status=row["status"],
                              expected_winner=row["winner"], expected_reason=row["reason"],
                              mode=row["validation_mode"])
        if not check.ok:
            bad.append(f"{row['game_id']}: {check.code} at ply {check.ply}: {check.detail}")
    return bad


def journal_ids(path) -> list[str]:
    """Game ids a selfplay run reported committed (its --journal file)."""
    ids = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.endswith("\n"):
                    ids.extend(json.loads(line)["game_ids"])
    except FileNotFoundError:
        pass
    return ids
