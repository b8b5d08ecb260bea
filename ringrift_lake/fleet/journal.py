"""A fleet worker's commit journal: what it committed, exactly, even when it is killed at any instant.

One JSON line per event, in a local file the worker keeps across restarts:

    {"batch_id": B, "state": "pending", "config": C, "game_ids": [...]}    before the raw_games commit
    {"batch_id": B, "state": "committed", "version": V}                     after it
    {"batch_id": B, "state": "dropped"}                                     it never landed

A worker killed between "pending" and "committed" leaves a pending batch; when it starts again,
`resolve_pending` asks the lake (the only truth) whether rows with that batch id exist and writes the
outcome. So `committed_ids(journal)` equals the games that worker added to raw_games.
"""
from __future__ import annotations

import json
import os

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake


class CommitJournal:
    def __init__(self, path: str | None):
        self.path = path
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)

    def _write(self, entry: dict) -> None:
        if not self.path:
            return
        with open(self.path, "a+b") as out:
            if out.tell() > 0:                 # a line cut short by a kill: end it, so it stays on its own
                out.seek(-1, os.SEEK_END)
                if out.read(1) != b"\n":
                    out.write(b"\n")
            out.write((json.dumps(entry) + "\n").encode())
            out.flush()
            os.fsync(out.fileno())

    def pending(self, batch_id: str, config: str, game_ids: list[str]) -> None:
        self._write({"batch_id": batch_id, "state": "pending", "config": config, "game_ids": game_ids})

    def committed(self, batch_id: str, version: int | None) -> None:
        self._write({"batch_id": batch_id, "state": "committed", "version": version})

    def dropped(self, batch_id: str) -> None:
        self._write({"batch_id": batch_id, "state": "dropped"})

    def resolve_pending(self, lake: Lake) -> dict[str, str]:
        """Settle batches left pending by a killed run against raw_games; batch id -> outcome."""
        outcomes = {}
        for batch_id, entry in unresolved(self.path).items():
            expr = (pc.field("config") == entry["config"]) & (pc.field("batch_id") == batch_id)
            landed = tables.read(lake, "raw_games", columns=["game_id"], filter=expr).num_rows > 0
            (self.committed(batch_id, None) if landed else self.dropped(batch_id))
            outcomes[batch_id] = "committed" if landed else "dropped"
        return outcomes


def entries(path: str | None) -> list[dict]:
    """Every whole entry of the journal (a line cut short by a kill is ignored)."""
    if not path or not os.path.exists(path):
        return []
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line) if line.endswith("\n") else None
            except json.JSONDecodeError:
                entry = None
            if isinstance(entry, dict) and "batch_id" in entry:
                out.append(entry)
    return out


def unresolved(path: str | None) -> dict[str, dict]:
    pending = {}
    for entry in entries(path):
        if entry["state"] == "pending":
            pending[entry["batch_id"]] = entry
        else:
            pending.pop(entry["batch_id"], None)
    return pending


def committed_ids(path: str | None) -> list[str]:
    """Game ids of the batches the journal records as committed."""
    pending, ids = {}, []
    for entry in entries(path):
        if entry["state"] == "pending":
            pending[entry["batch_id"]] = entry["game_ids"]
        elif entry["state"] == "committed":
            ids.extend(pending.pop(entry["batch_id"], []))
    return ids
