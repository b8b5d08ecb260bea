"""The knobs of a fleet worker (`ringrift-lake worker`, one flag per field; no torch here)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ringrift_lake.knobs import knob

DEFAULT_CACHE = os.environ.get("RINGRIFT_CHECKPOINT_CACHE") or os.path.join("~", ".cache", "ringrift", "checkpoints")
TERM_MODES = ("drop", "finish")


@dataclass
class WorkerSettings:
    configs: list[str] | None = knob(None, "configs this worker may play (default: every config)", metavar="CONFIG")
    player: str = knob("gumbel64:champion", "the player of every seat; `champion` follows the config's "
                                            "current champion (ringrift_lake.players syntax)")
    fallback: str = knob("heuristic", "the player of a config that has no champion yet")
    batch_games: int = knob(32, "games per batch: played at once (batched search) and committed in one commit")
    device: str = knob("auto", "network device: auto | cpu | cuda[:k]")
    threads: int = knob(0, "torch CPU threads (0: torch's default)")
    cache: str = knob(DEFAULT_CACHE, "local checkpoint cache folder ($RINGRIFT_CHECKPOINT_CACHE)")
    heartbeat_s: float = knob(30.0, "a `workers` row every this many seconds (and one at start and stop)")
    refresh_s: float = knob(60.0, "re-read the allocation this often (the champion is read before every batch)")
    name: str | None = knob(None, "worker id in `workers` (default: $RINGRIFT_WORKER_NAME, else host/pid)")
    journal: str | None = knob(None, "commit journal file, kept across restarts (ringrift_lake.fleet.journal)",
                               metavar="FILE")
    on_term: str = knob("drop", "on SIGTERM/SIGINT: drop the games in hand, or finish and commit them first",
                        choices=TERM_MODES)
    max_batches: int = knob(0, "stop after this many batches (0: run until stopped)")
    max_seconds: float = knob(0.0, "stop starting batches after this many seconds (0: no limit)")
    max_moves: int | None = knob(None, "games still running after this many moves are not written "
                                       "(default: the board's move cap)")
    seed: int | None = knob(None, "seed of the config draws and the run seeds (default: random)")
