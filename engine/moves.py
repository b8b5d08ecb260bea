"""Move: an immutable tuple (cheap to create in bulk) with named fields and the identity key of RULES.md 4.4."""
from __future__ import annotations

from operator import itemgetter

BOOKKEEPING_TYPES = frozenset({
    "no_placement_action", "no_movement_action", "no_line_action", "no_territory_action",
})
SKIP_TYPES = frozenset({
    "skip_placement", "skip_capture", "skip_territory_processing", "skip_recovery",
})
# Moves that do not count as a "board-changing move this turn" (RULES.md 1.4).
PASSIVE_TYPES = BOOKKEEPING_TYPES | SKIP_TYPES
CAPTURE_TYPES = frozenset({"overtaking_capture", "continue_capture_segment"})
MOVE_TYPES = frozenset({
    "place_ring", "move_stack", "process_line", "choose_line_option", "eliminate_rings_from_stack",
    "choose_territory_option", "forced_elimination", "recovery_slide", "swap_sides", "resign", "timeout",
}) | PASSIVE_TYPES | CAPTURE_TYPES

_FIELDS = ("type", "player", "to", "frm", "target", "count", "line", "collapsed", "region",
           "recovery_mode", "recovery_option", "extraction", "context", "raw")


class Move(tuple):
    """One recorded step. Cells are ints of the state's geometry; `line`/`collapsed`/`region`/`extraction`
    are tuples of cells. `raw` keeps the JSON dict a move was read from (for lossless write-back)."""

    __slots__ = ()
    _fields = _FIELDS

    def __new__(cls, type, player, to=None, frm=None, target=None, count=None, line=None, collapsed=None,
                region=None, recovery_mode=None, recovery_option=None, extraction=None, context=None,
                raw=None):
        if type == "place_ring" and count is None:
            count = 1
        return tuple.__new__(cls, (type, player, to, frm, target, count, line, collapsed, region,
                                   recovery_mode, recovery_option, extraction, context, raw))

    type = property(itemgetter(0))
    player = property(itemgetter(1))
    to = property(itemgetter(2))
    frm = property(itemgetter(3))
    target = property(itemgetter(4))
    count = property(itemgetter(5))
    line = property(itemgetter(6))
    collapsed = property(itemgetter(7))
    region = property(itemgetter(8))
    recovery_mode = property(itemgetter(9))
    recovery_option = property(itemgetter(10))
    extraction = property(itemgetter(11))
    context = property(itemgetter(12))
    raw = property(itemgetter(13))

    def key(self):
        """Identity of the move for legal-set membership (RULES.md 4.4)."""
        t = self[0]
        if t == "place_ring":
            return (t, self[1], self[2], self[5] or 1)
        if t == "move_stack":
            return (t, self[1], self[3], self[2])
        if t in CAPTURE_TYPES:
            return (t, self[1], self[3], self[4], self[2])
        if t == "process_line":
            return (t, self[1], frozenset(self[6] or ()))
        if t == "choose_line_option":
            line = frozenset(self[6] or ())
            coll = frozenset(self[7]) if self[7] else line
            return (t, self[1], line, coll)
        if t == "choose_territory_option":
            return (t, self[1], frozenset(self[8]) if self[8] else self[2])
        if t in ("eliminate_rings_from_stack", "forced_elimination"):
            return (t, self[1], self[2])
        if t == "recovery_slide":
            mode = self[9] or "line"
            option = self[10] if self[10] is not None else (1 if mode == "line" else None)
            return (t, self[1], self[3], self[2], mode, option)
        return (t, self[1])

    def replace(self, **changes) -> "Move":
        vals = list(self)
        for k, v in changes.items():
            vals[_FIELDS.index(k)] = v
        return tuple.__new__(Move, vals)

    def __repr__(self) -> str:
        parts = [f"{self[0]} p{self[1]}"]
        for name, i in (("frm", 3), ("target", 4), ("to", 2), ("count", 5), ("mode", 9), ("option", 10),
                        ("context", 12)):
            if self[i] is not None:
                parts.append(f"{name}={self[i]}")
        for name, i in (("line", 6), ("collapsed", 7), ("region", 8)):
            if self[i] is not None:
                parts.append(f"{name}={list(self[i])}")
        return "Move(" + ", ".join(parts) + ")"

    def __reduce__(self):
        return (Move, tuple(self))


_new = tuple.__new__


def simple_move(type: str, player: int) -> Move:
    return _new(Move, (type, player, None, None, None, None, None, None, None, None, None, None, None, None))


def place_move(player: int, to: int, count: int) -> Move:
    return _new(Move, ("place_ring", player, to, None, None, count, None, None, None, None, None, None, None,
                       None))


def stack_move(player: int, frm: int, to: int) -> Move:
    return _new(Move, ("move_stack", player, to, frm, None, None, None, None, None, None, None, None, None, None))


def capture_move(type: str, player: int, frm: int, target: int, to: int) -> Move:
    return _new(Move, (type, player, to, frm, target, None, None, None, None, None, None, None, None, None))


def cell_move(type: str, player: int, to: int, context: str | None = None) -> Move:
    return _new(Move, (type, player, to, None, None, None, None, None, None, None, None, None, context, None))
