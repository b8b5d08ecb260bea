"""Progress of a run of games on stderr: games, games/s, moves/s, searched positions/s, evals/s, commits.

On a terminal the line is redrawn in place about once a second; otherwise
(logs, Dagster) a full line is printed every ``log_every_s`` seconds.
"""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int, enabled: bool = True, stream=None, log_every_s: float = 10.0):
        self.label = label
        self.total = total
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.every = 1.0 if self.tty else log_every_s
        self.last = 0.0

    def line(self, report, elapsed: float) -> str:
        games = report.games_written + report.games_present
        gps = report.games_written / elapsed if elapsed > 0 else 0.0
        mps = report.moves_written / elapsed if elapsed > 0 else 0.0
        search = report.search
        searched = ""
        if search.evaluations and elapsed > 0:
            searched = (f"  {search.positions_searched / elapsed:,.0f} positions/s  "
                        f"{search.evaluations / elapsed:,.0f} evals/s (batch {search.mean_batch:.0f})")
        return (f"{self.label}: {games}/{self.total} games  {gps:.2f} games/s  {mps:,.0f} moves/s{searched}  "
                f"{report.commits} commits  {elapsed:.0f}s")

    def update(self, report, elapsed: float) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < self.every:
            return
        self.last = now
        end = "\r" if self.tty else "\n"
        print(self.line(report, elapsed), end=end, file=self.stream, flush=True)

    def finish(self, report) -> None:
        if self.enabled:
            print(self.line(report, report.seconds), file=self.stream, flush=True)
