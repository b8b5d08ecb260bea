"""The `workers` table: fleet workers' heartbeats, and who is alive.

Each worker appends a row when it starts, every `heartbeat_s` while it runs (from a thread of its own,
so a long batch on a big board does not look like a dead worker) and when it stops; its newest row
is its state. A worker is **alive** while that row says `running` and is younger
than `stale_after_s`; a `running` row older than that is a worker that died without saying so (killed,
machine lost): **lost**. `stopped` rows say why in `detail`.
"""
from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ringrift_lake import tables
from ringrift_lake.location import Lake

TABLE = "workers"


@dataclass
class Heartbeat:
    """A worker's running state; `row()` is what goes into `workers`."""

    worker_id: str
    configs: list[str]
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    config: str | None = None
    player: str | None = None
    model_id: str | None = None
    games_committed: int = 0
    batches_committed: int = 0
    commit_retries: int = 0

    def row(self, status: str = "running", detail: str | None = None, now: datetime | None = None) -> dict:
        now = now or datetime.now(timezone.utc)
        seconds = max((now - self.started_at).total_seconds(), 1e-9)
        return {"worker_id": self.worker_id, "host": self.host, "pid": self.pid, "configs": list(self.configs),
                "config": self.config, "player": self.player, "model_id": self.model_id, "status": status,
                "games_committed": self.games_committed, "batches_committed": self.batches_committed,
                "games_per_s": round(self.games_committed / seconds, 4), "commit_retries": self.commit_retries,
                "detail": detail, "started_at": self.started_at, "last_seen": now}


def default_worker_id(name: str | None = None) -> str:
    """`name` when given (a pod name), else host/pid."""
    return name or f"{socket.gethostname()}/{os.getpid()}"


def worker_states(lake: Lake, stale_after_s: float = 120.0, now: datetime | None = None) -> list[dict]:
    """The newest row of every worker with `state`: alive | lost | stopped; alive ones first."""
    now = now or datetime.now(timezone.utc)
    newest: dict[str, dict] = {}
    for row in tables.read(lake, TABLE).to_pylist():
        seen = newest.get(row["worker_id"])
        if seen is None or row["last_seen"] > seen["last_seen"]:
            newest[row["worker_id"]] = row
    for row in newest.values():
        age = (now - row["last_seen"]).total_seconds()
        row["age_s"] = round(age, 1)
        row["state"] = "stopped" if row["status"] != "running" else "alive" if age <= stale_after_s else "lost"
    order = {"alive": 0, "lost": 1, "stopped": 2}
    return sorted(newest.values(), key=lambda r: (order[r["state"]], r["worker_id"]))


class HeartbeatPump:
    """Writes `heartbeat`'s row every `every_s` seconds from a daemon thread until `stop`, which writes
    the final row (status and detail) from the caller's thread. A row that cannot be written is
    reported through `log` and retried at the next beat: heartbeats never stop the worker."""

    def __init__(self, lake: Lake, heartbeat: Heartbeat, every_s: float, log=print):
        self.lake, self.heartbeat, self.every_s, self.log = lake, heartbeat, every_s, log
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
        self._table = None

    def _beat(self, status: str = "running", detail: str | None = None) -> None:
        try:
            if self._table is None:
                self._table = tables.ensure_table(self.lake, TABLE)
            tables.append(self.lake, TABLE, [self.heartbeat.row(status, detail)], table=self._table)
        except Exception as exc:   # noqa: BLE001 - a missed heartbeat is logged, not fatal
            self.log(f"heartbeat not written: {exc}")

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self._beat()

    def start(self) -> None:
        self._beat()
        self._thread.start()

    def stop(self, status: str = "stopped", detail: str | None = None) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=60)
        self._beat(status, detail)
