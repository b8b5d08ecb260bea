"""Reference-game records (RULES.md 4.1; JSON lines, optionally gzip) -> raw_games rows.

Each record becomes one row with source ``import:reference`` and validation
mode ``strict`` (our engine must reach the recorded end itself). The
reference engine played without round-based last-player-standing (R172,
RULES.md 4.5), so the row's rules options are ``lpsRoundsRequired: 0`` plus
the record's own ``rulesOptions`` (which win). Moves are kept exactly as
recorded. The records carry no wall-clock times: ``started_at`` and
``finished_at`` stay null. Seats are all agent ``reference``.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from typing import Iterator

from ringrift_lake.ingest.records import (BadRecord, ImportedGame, ImportFileError, TruncatedFileError,
                                          check_moves, check_winner, require)
from ringrift_lake.records.rows import game_row, seat_rows

SOURCE = "import:reference"
REFERENCE_RULES_OPTIONS = {"lpsRoundsRequired": 0}


def _lines(path: str) -> Iterator[tuple[int, bytes]]:
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line


def record_to_row(record: dict) -> dict:
    """One reference record as a raw_games row; ValueError naming the bad field otherwise."""
    from engine import parse_config

    if not isinstance(record, dict):
        raise ValueError(f"record is a JSON {type(record).__name__}, not an object")
    game_id = require(record, "gameId", str)
    board_type = require(record, "boardType", str)
    num_players = require(record, "numPlayers", int)
    config = f"{board_type}_{num_players}p"
    parse_config(config)
    moves = require(record, "moves", list)
    check_moves(moves, num_players)
    total = record.get("totalMoves")
    if total is not None and total != len(moves):
        raise ValueError(f"totalMoves is {total} but the record has {len(moves)} moves")
    status = require(record, "status", str)
    winner = require(record, "winner", (int, type(None)))
    check_winner(winner, num_players)
    reason = require(record, "reason", (str, type(None)))
    options = record.get("rulesOptions") or {}
    if not isinstance(options, dict):
        raise ValueError("field 'rulesOptions' should be an object")
    seed = record.get("gameSeed", record.get("seed"))
    engine_commit = record.get("engineCommit")
    row = game_row(ImportedGame(moves, status, winner, reason), config, seat_rows(["reference"] * num_players),
                   SOURCE, seed if isinstance(seed, int) else None, game_id=game_id, validation_mode="strict",
                   rules_options={**REFERENCE_RULES_OPTIONS, **options},
                   engine_version=f"reference@{engine_commit[:12]}" if isinstance(engine_commit, str) else None)
    row["started_at"] = row["finished_at"] = None
    return row


def read_reference_file(path: str) -> Iterator[dict | BadRecord]:
    """Rows and bad records of one JSONL(.gz) file. A file that cannot be read at all, or stops being
    readable part way (``TruncatedFileError`` for a gzip stream cut short), raises ImportFileError once the
    complete lines before the damage have been yielded; an incomplete last line is never yielded."""
    name = os.path.basename(path)
    last = 0
    try:
        for number, raw in _lines(path):
            last = number
            line = raw.decode("utf-8", errors="replace")
            if not line.strip():
                continue
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield BadRecord(path, f"line {number}", f"invalid JSON: {exc}", line.rstrip("\n"),
                                game_id=f"{name}#L{number}")
                continue
            try:
                yield record_to_row(record)
            except ValueError as exc:
                gid = record.get("gameId") if isinstance(record, dict) else None
                yield BadRecord(path, f"line {number}" + (f" (game {gid})" if isinstance(gid, str) else ""),
                                str(exc), line.rstrip("\n"),
                                game_id=gid if isinstance(gid, str) else f"{name}#L{number}",
                                config=_config_of(record))
    except EOFError as exc:            # the gzip stream stops before its end: cut short
        raise TruncatedFileError(path, last, str(exc)) from exc
    except (OSError, zlib.error) as exc:
        if last == 0:
            raise ImportFileError(path, f"not a readable JSON-lines file: {exc}") from exc
        raise ImportFileError(path, f"corrupt after line {last} ({exc}); lines 1..{last} were kept") from exc


def _config_of(record) -> str | None:
    if isinstance(record, dict) and isinstance(record.get("boardType"), str) and \
            isinstance(record.get("numPlayers"), int):
        return f"{record['boardType']}_{record['numPlayers']}p"
    return None
