"""The previous system's SQLite game databases (DATA_REFERENCE.md section 1, schema v18) -> raw_games rows.

One row per game in ``games`` with source ``import:legacy`` and validation
mode ``legacy`` (every move legal, recorded winner confirmed right after the
last move; DESIGN.md 3b). Mapping:

* seats from ``game_players``: agent ``legacy:<ai_type>`` (``legacy:human``
  for humans), model id from ``model_version`` where a canonical DB has it;
* moves from ``game_moves.move_json`` in ``move_number`` order, converted to
  reference move JSON (RULES.md 2.3): null fields and null ``z`` coordinates
  dropped, the storage-only keys ``id``, ``timestamp``, ``thinkTime`` and
  ``phase`` dropped; everything else kept as recorded;
* rules options from the initial state: its ``lpsRoundsRequired`` (the old
  host rule, normally 3) plus its ``rulesOptions``; legacy validation counts
  those R172 rounds for the verdict after the last move but never lets them
  end the game mid-record (the old canonical turn processor did not declare
  R172 either);
* status ``finished`` -> ``completed``; termination reasons renamed to the
  engine's codes where the meaning is the same (``status:completed:elimination``
  -> ``ring_elimination``, ``territory``/``status:completed:territory`` ->
  ``territory_control``, ``status:completed:lps`` -> ``last_player_standing``);
  any other reason (``stalemate``, ``structural`` ...) is kept verbatim;
* seed ``rng_seed`` (or the metadata's ``rng_seed``), times ``created_at`` /
  ``completed_at``.

A game whose rows are inconsistent (move numbers with gaps, a move count
that differs from ``total_moves``, unparseable move JSON) is a bad record
named by game id and quarantined with the game's data as payload.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from typing import Iterator

from ringrift_lake.ingest.records import BadRecord, ImportedGame, ImportFileError, check_moves, check_winner
from ringrift_lake.records.rows import game_row

SOURCE = "import:legacy"
STORAGE_ONLY_KEYS = ("id", "timestamp", "thinkTime", "phase")
REASONS = {
    "status:completed:elimination": "ring_elimination",
    "elimination": "ring_elimination",
    "territory": "territory_control",
    "status:completed:territory": "territory_control",
    "status:completed:lps": "last_player_standing",
    "lps": "last_player_standing",
}
_REQUIRED_TABLES = {"games", "game_moves", "game_players"}


def drop_nulls(value):
    """JSON value without null object fields (recursively); list items are kept."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def reference_move(legacy_move: dict) -> dict:
    """A legacy pydantic Move dict as reference move JSON."""
    move = drop_nulls(legacy_move)
    for key in STORAGE_ONLY_KEYS:
        move.pop(key, None)
    return move


def _connect(path: str) -> sqlite3.Connection:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise ImportFileError(path, f"not a readable SQLite database: {exc}") from exc
    missing = _REQUIRED_TABLES - names
    if missing:
        con.close()
        raise ImportFileError(path, f"not a game database: tables {sorted(missing)} missing")
    con.row_factory = sqlite3.Row
    return con


def _time(text) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _columns(con, table: str) -> set[str]:
    return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def read_legacy_db(path: str) -> Iterator[dict | BadRecord]:
    """Rows and bad records of one legacy database; ImportFileError if it is not one."""
    con = _connect(path)
    try:
        has_model = "model_version" in _columns(con, "game_players")
        has_initial = "game_initial_state" in {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        games = con.execute("SELECT * FROM games ORDER BY created_at, game_id").fetchall()
        for game in games:
            gid = game["game_id"]
            moves = con.execute("SELECT move_number, move_json FROM game_moves WHERE game_id = ? "
                                "ORDER BY move_number", (gid,)).fetchall()
            players = con.execute("SELECT * FROM game_players WHERE game_id = ? ORDER BY player_number",
                                  (gid,)).fetchall()
            initial = None
            if has_initial:
                initial = con.execute("SELECT initial_state_json, compressed FROM game_initial_state "
                                      "WHERE game_id = ?", (gid,)).fetchone()
            try:
                yield _game_to_row(game, moves, players, initial, has_model)
            except (ValueError, TypeError, KeyError) as exc:
                payload = json.dumps({"game": dict(game), "players": [dict(p) for p in players],
                                      "moves": [[m["move_number"], m["move_json"]] for m in moves]}, default=str)
                config = f"{game['board_type']}_{game['num_players']}p"
                yield BadRecord(path, f"game {gid}", str(exc), payload, game_id=str(gid), config=config)
    except sqlite3.DatabaseError as exc:
        raise ImportFileError(path, f"cannot read the game tables: {exc}") from exc
    finally:
        con.close()


def _rules_options(initial) -> dict:
    if initial is None:
        return {}
    text = initial["initial_state_json"]
    if initial["compressed"]:
        import gzip

        text = gzip.decompress(text if isinstance(text, bytes) else text.encode("latin-1")).decode()
    state = json.loads(text)
    options = {}
    if state.get("lpsRoundsRequired") is not None:
        options["lpsRoundsRequired"] = state["lpsRoundsRequired"]
    options.update(state.get("rulesOptions") or {})
    return options


def _game_to_row(game, moves, players, initial, has_model: bool) -> dict:
    from engine import parse_config

    num_players = game["num_players"]
    config = f"{game['board_type']}_{num_players}p"
    parse_config(config)
    numbers = [m["move_number"] for m in moves]
    if numbers != list(range(len(moves))):
        raise ValueError(f"move numbers are not 0..{len(moves) - 1} without gaps")
    if game["total_moves"] is not None and game["total_moves"] != len(moves):
        raise ValueError(f"total_moves is {game['total_moves']} but {len(moves)} moves are stored")
    try:
        moves_json = [reference_move(json.loads(m["move_json"])) for m in moves]
    except (json.JSONDecodeError, TypeError) as exc:
        raise ValueError(f"unparseable move_json: {exc}") from exc
    check_moves(moves_json, num_players)
    if [p["player_number"] for p in players] != list(range(1, num_players + 1)):
        raise ValueError(f"game_players rows {[p['player_number'] for p in players]} are not seats 1..{num_players}")
    seats = [{"seat": p["player_number"],
              "agent": f"legacy:{p['ai_type'] or 'unknown'}" if p["player_type"] != "human" else "legacy:human",
              "model_id": p["model_version"] if has_model else None} for p in players]
    winner = game["winner"]
    check_winner(winner, num_players)
    status = "completed" if game["game_status"] == "finished" else game["game_status"]
    reason = game["termination_reason"]
    seed = game["rng_seed"]
    if seed is None and game["metadata_json"]:
        seed = (json.loads(game["metadata_json"]) or {}).get("rng_seed")
    return game_row(ImportedGame(moves_json, status, winner, REASONS.get(reason, reason)), config, seats,
                    SOURCE, seed if isinstance(seed, int) else None, game_id=str(game["game_id"]),
                    validation_mode="legacy", rules_options=_rules_options(initial),
                    started_at=_time(game["created_at"]), finished_at=_time(game["completed_at"]),
                    engine_version="legacy")
