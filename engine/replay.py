"""Replay reference-game records (RULES.md 4.1) through the engine and compare every step.

The only module of engine/ that reads files (it serves the `ringrift-lake engine replay` command).
"""
from __future__ import annotations

import gzip
import json
import sys
from dataclasses import dataclass

from .apply import apply_move
from .codec import move_from_json
from .errors import IllegalMoveError
from .game import new_game
from .hashing import summary
from .legal import legal_moves

SUMMARY_FIELDS = ("phase", "player", "status", "stacks", "markers", "collapsed", "ringsInHand", "eliminated",
                  "territory", "S", "hash")


@dataclass
class GameReplay:
    game_id: str
    moves: int
    ok: bool
    ply: int | None = None  # 1-based move index of the first divergence
    field: str | None = None
    expected: object = None
    got: object = None

    def line(self) -> str:
        if self.ok:
            return f"{self.game_id}: ok ({self.moves} moves)"
        where = f"move {self.ply}" if self.ply else "end"
        return f"{self.game_id}: {where}: {self.field}: expected {self.expected!r}, got {self.got!r}"


def read_records(path: str):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)


def replay_record(rec: dict) -> GameReplay:
    """Replay one record; stops at the first divergence."""
    gid = rec.get("gameId", "?")
    options = {"lpsRoundsRequired": 0}  # the reference turn processor never applies R172
    options.update(rec.get("rulesOptions") or {})
    state = new_game(rec["boardType"], rec["numPlayers"], options)
    moves = rec["moves"]
    numlegal = rec.get("numLegal") or []
    summaries = rec.get("summaries") or []
    initial = rec.get("initial")
    if initial:
        bad = _compare(initial, summary(state))
        if bad:
            return GameReplay(gid, 0, False, 0, bad[0], bad[1], bad[2])
    for i, mj in enumerate(moves):
        ply = i + 1
        legal = legal_moves(state)
        if i < len(numlegal) and len(legal) != numlegal[i]:
            return GameReplay(gid, i, False, ply, "numLegal", numlegal[i], len(legal))
        try:
            move = move_from_json(mj, state)
            apply_move(state, move)
        except IllegalMoveError as exc:
            return GameReplay(gid, i, False, ply, "legal", mj.get("type"), f"{exc.rule} {exc.field}: {exc.message}")
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            return GameReplay(gid, i, False, ply, "apply", mj.get("type"), f"{type(exc).__name__}: {exc}")
        if i < len(summaries):
            bad = _compare(summaries[i], summary(state))
            if bad:
                return GameReplay(gid, ply, False, ply, bad[0], bad[1], bad[2])
    for fld, got in (("status", state.status), ("winner", state.winner), ("reason", state.reason)):
        if fld in rec and rec[fld] != got:
            return GameReplay(gid, len(moves), False, None, fld, rec[fld], got)
    return GameReplay(gid, len(moves), True)


def _compare(expected: dict, got: dict):
    for f in SUMMARY_FIELDS:
        if f in expected and expected[f] != got.get(f):
            return f, expected[f], got.get(f)
    return None


def replay_files(paths, out=None) -> int:
    """Replay every record of the given .jsonl/.jsonl.gz files; print one line per game and a total.
    Returns 0 only when every game matches."""
    out = out or sys.stdout
    games = moves = bad = 0
    for path in paths:
        for rec in read_records(path):
            r = replay_record(rec)
            games += 1
            moves += r.moves
            bad += not r.ok
            print(r.line(), file=out, flush=True)
    verdict = "all match" if bad == 0 and games else f"{bad} mismatched"
    print(f"{games} games, {moves} moves: {verdict}", file=out)
    return 0 if bad == 0 and games else 1
