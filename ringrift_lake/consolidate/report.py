"""What one consolidation run did."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass
class ConsolidateReport:
    run_id: str
    scopes: list[str]
    raw_version: int | None = None          # raw_games version read (None: no raw data yet)
    files_read: int = 0                     # raw_games files new since the watermarks
    games_read: int = 0                     # raw rows in those files
    games_added: int = 0                    # new rows in games
    moves_added: int = 0                    # new rows in moves
    duplicates_skipped: int = 0             # identical copies of games already consolidated / repeated
    replayed: int = 0                       # distinct game contents replayed by the engine
    quarantined: dict[str, int] = field(default_factory=dict)   # reason -> games sent to quarantine
    versions: dict[str, int | None] = field(default_factory=dict)   # table -> version after the run
    seconds: float = 0.0
    replay_seconds: float = 0.0

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    @property
    def wrote_anything(self) -> bool:
        return bool(self.files_read)

    def count_reasons(self, reasons) -> None:
        self.quarantined = dict(sorted(Counter(reasons).items()))

    def as_dict(self) -> dict:
        data = asdict(self)
        data["quarantined_total"] = self.quarantined_total
        data["seconds"] = round(self.seconds, 3)
        data["replay_seconds"] = round(self.replay_seconds, 3)
        return data

    def render(self) -> str:
        if self.raw_version is None:
            return "raw_games does not exist yet: nothing to consolidate"
        if not self.files_read:
            return f"nothing new in raw_games (version {self.raw_version}): no table changed"
        lines = [
            f"raw_games v{self.raw_version}: {self.files_read} new files, {self.games_read} games read",
            f"games added      {self.games_added}",
            f"moves added      {self.moves_added}",
            f"duplicates       {self.duplicates_skipped} (identical copies skipped)",
            f"quarantined      {self.quarantined_total}",
        ]
        lines += [f"  {reason:<22} {count}" for reason, count in self.quarantined.items()]
        lines.append(f"replayed         {self.replayed} distinct games in {self.replay_seconds:.1f} s")
        lines.append("versions         " + ", ".join(f"{t} v{v}" for t, v in self.versions.items()))
        lines.append(f"took             {self.seconds:.1f} s")
        return "\n".join(lines)
