"""Resignation on a root-value threshold, and the false-positive rate that keeps it honest.

A player whose search gives its own seat a root value below `threshold` resigns (2-player games only:
with more players a resignation would decide the others' ranks). A fixed share of games
(`no_resign_share`, at least 10%) may not resign; in them we see what would have happened: a seat whose
value fell below the threshold at some ply and still won the game is a false positive. The rate over
those would-be resignations is measured every generation, and the next threshold is the highest one
whose rate on the games seen stays within `resign_target_fp` (minigo and AlphaZero keep it under 5%).
"""
from __future__ import annotations

from dataclasses import dataclass

from ringrift_lake.knobs import knob


NEVER = -1.0    # a threshold no value is below: nobody resigns


@dataclass(frozen=True)
class ResignRule:
    resign_threshold: float = knob(-0.99, "first resignation threshold on the mover's root value (-1 = never)")
    no_resign_share: float = knob(0.2, "share of games that may not resign (they measure false positives)")
    resign_target_fp: float = knob(0.05, "highest false-positive rate the threshold may cause")
    resign_lowest: float = knob(-0.995, "the resignation threshold never goes below this")
    resign_highest: float = knob(-0.8, "nor above this")

    def __post_init__(self):
        if not 0.1 <= self.no_resign_share <= 1.0:
            raise ValueError("no_resign_share must be in [0.1, 1]: at least 10% of games measure the rate")


@dataclass(frozen=True)
class WouldResign:
    """One seat of a no-resign 2-player game: its lowest root value and whether it won."""
    lowest_value: float
    won: bool


def false_positive_rate(seats: list[WouldResign], threshold: float) -> tuple[float, int]:
    """(rate, would-be resignations): of the seats whose value fell below `threshold`, the share that won."""
    below = [s for s in seats if s.lowest_value < threshold]
    return (sum(s.won for s in below) / len(below) if below else 0.0), len(below)


def next_threshold(seats: list[WouldResign], rule: ResignRule, current: float) -> float:
    """The highest threshold in [lowest, highest] whose false-positive rate on `seats` is within the target;
    NEVER (no resignation) when none is; the current one kept when the games say nothing (no seat fell
    that low)."""
    candidates = sorted({round(s.lowest_value, 4) for s in seats} | {rule.resign_lowest, rule.resign_highest}, reverse=True)
    evidence = False
    for t in candidates:
        if not rule.resign_lowest <= t <= rule.resign_highest:
            continue
        rate, count = false_positive_rate(seats, t)
        evidence = evidence or count > 0
        if count and rate <= rule.resign_target_fp:
            return t
    return NEVER if evidence else max(rule.resign_lowest, min(current, rule.resign_highest))


def would_resign_seats(rows: list[dict], may_resign) -> list[WouldResign]:
    """The seats of the no-resign 2-player games among raw_games `rows` (with seed, winner, moves, search):
    each seat's lowest root value over the plies it searched, and whether it won. `may_resign(seed)` says
    which games could resign (those are left out: their outcome after a resignation is unknown)."""
    import json

    seats = []
    for row in rows:
        if row["num_players"] != 2 or may_resign(row["seed"]) or not row["search"]:
            continue
        lowest = {1: 1.0, 2: 1.0}
        for move, entry in zip(row["moves"], row["search"]):
            if entry is not None:
                mover = json.loads(move)["player"]
                lowest[mover] = min(lowest[mover], entry["root_value"][mover - 1])
        seats += [WouldResign(lowest[seat], row["winner"] == seat) for seat in (1, 2)]
    return seats
