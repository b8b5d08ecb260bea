"""The explicit action space of a board: every legal move of a position has its own policy index.

Layout: `n_planes` spatial planes of H x W (index = plane * H * W + row * W + col, row = y,
col = x, like the feature planes), then one index per bookkeeping/skip move type. Each plane
block anchors a move at one cell:

| block            | planes                      | anchor cell                      |
|------------------|-----------------------------|----------------------------------|
| place_ring       | count 1..3                  | `to`                             |
| straight move    | direction x distance        | `frm` (move_stack, overtaking_capture, continue_capture_segment) |
| recovery_slide   | direction x variant (line option 1, line option 2, fallback, stack_strike) | `frm` |
| eliminate        | 1 (eliminate_rings_from_stack, any context: one context per position) | `to` |
| forced           | 1 (forced_elimination)      | `to`                             |
| process_line     | line axis                   | the line's first cell along the axis |
| choose_line      | line axis x (whole line, L-segment) | first collapsed cell along the axis |
| territory        | 5 border slots              | the region's first cell in grid order |

A straight move's landing fixes it: a move_stack needs a path without stacks, a capture exactly one
(the target), so one (frm, landing) pair is never both, nor two captures.
Lines are maximal runs of one player's markers, so (first cell, axis) names one line, and
(first collapsed cell, axis, whole/segment) one line option. Territory regions of one
detection pass are disjoint; a region's border slot says which pass can report it: 0 = bounded
only by collapsed cells and the edge, 1 + k = bounded by markers of the seat k places after the
mover. Distinct legal regions that share a first cell therefore differ in slot (decided from
the pre-move state, so `encode_move` needs the state for choose_territory_option).
"""
from __future__ import annotations

from functools import lru_cache

from engine import legal_moves
from ringrift_lake.encoding.board_grid import BoardGrid, board_grid

SPECIAL_TYPES = (
    "skip_placement", "no_placement_action", "no_movement_action", "skip_capture", "no_line_action",
    "no_territory_action", "skip_territory_processing", "skip_recovery", "swap_sides",
)
STRAIGHT_TYPES = ("move_stack", "overtaking_capture", "continue_capture_segment")
_STRAIGHT_SET = frozenset(STRAIGHT_TYPES)
RECOVERY_VARIANTS = ("line_1", "line_2", "fallback", "stack_strike")
TERRITORY_SLOTS = 5
MAX_PLACEMENT = 3


class UnencodableMove(ValueError):
    """A move that has no index in this action space (malformed or of an unknown type)."""


class ActionSpace:
    """Policy indices for one board type; see the module docstring for the layout."""

    def __init__(self, grid: BoardGrid):
        self.grid = grid
        n_dirs, n_axes = len(grid.move_dirs), len(grid.line_axes)
        blocks = (
            ("place_ring", MAX_PLACEMENT), ("straight", n_dirs * grid.max_distance),
            ("recovery_slide", n_dirs * len(RECOVERY_VARIANTS)), ("eliminate", 1), ("forced", 1),
            ("process_line", n_axes), ("choose_line", n_axes * 2), ("territory", TERRITORY_SLOTS),
        )
        self.plane_base: dict[str, int] = {}
        planes = 0
        for name, count in blocks:
            self.plane_base[name] = planes
            planes += count
        self.n_planes = planes
        self.special_base = planes * grid.hw
        self.size = self.special_base + len(SPECIAL_TYPES)
        self._dir_index = {d: k for k, d in enumerate(grid.move_dirs)}
        self._x, self._y = grid.x_c.tolist(), grid.y_c.tolist()
        self._grid_pos = grid.grid_pos_c.tolist()
        self._straight_index: list[int] | None = None    # [frm * n_cells + to], built on first use
        self._special_index = {t: self.special_base + k for k, t in enumerate(SPECIAL_TYPES)}

    # -- encoding -------------------------------------------------------------------------------
    def _at(self, plane: int, cell: int) -> int:
        return plane * self.grid.hw + self._grid_pos[cell]

    def _step(self, frm: int, to: int) -> tuple[int, int]:
        """(direction index, distance) of a straight step from `frm` to `to`."""
        dx, dy = self._x[to] - self._x[frm], self._y[to] - self._y[frm]
        dist = self.grid.distance(dx, dy)
        if dist == 0 or dx % dist or dy % dist or (dx // dist, dy // dist) not in self._dir_index:
            raise UnencodableMove(f"cells {frm} -> {to} are not on one straight ray")
        return self._dir_index[(dx // dist, dy // dist)], dist

    def _line_start_axis(self, cells) -> tuple[int, int]:
        """(first cell along the canonical axis, axis index) of a straight run of cells."""
        cells = list(cells)
        xs, ys = self._x, self._y
        occupied = {(xs[c], ys[c]) for c in cells}
        for k, (ax, ay) in enumerate(self.grid.line_axes):
            start = min(cells, key=lambda c: xs[c] * ax + ys[c] * ay)
            x0, y0 = xs[start], ys[start]
            if len(occupied) == len(cells) and all((x0 + i * ax, y0 + i * ay) in occupied for i in range(len(cells))):
                return start, k
        raise UnencodableMove(f"cells {tuple(cells)} are not a contiguous line")

    def territory_slot(self, state, region_cells, mover: int) -> int:
        """0 when the region is bounded only by collapsed cells/edge, else 1 + (border marker seat - mover) mod n."""
        inside = set(region_cells)
        nbrs = self.grid.territory_nbrs_ck[list(inside)].ravel()
        border = {int(c) for c in nbrs if c >= 0 and int(c) not in inside}
        colours = {state.marker_owner[c] for c in border if not state.collapsed_owner[c]}
        if not colours:
            return 0
        if len(colours) != 1 or 0 in colours:
            raise UnencodableMove(f"region {sorted(inside)} is not a detected territory region in this state")
        return 1 + (colours.pop() - mover) % state.num_players

    def encode_move(self, state_or_geometry, move) -> int:
        """The policy index of `move` (played from `state_or_geometry`, the pre-move state).

        Only choose_territory_option needs a state; every other type also accepts a Geometry.
        """
        t = move.type
        if t in SPECIAL_TYPES:
            return self.special_base + SPECIAL_TYPES.index(t)
        base = self.plane_base
        if t == "place_ring":
            count = move.count or 1
            if not 1 <= count <= MAX_PLACEMENT:
                raise UnencodableMove(f"placement count {count}")
            return self._at(base["place_ring"] + count - 1, move.to)
        if t in STRAIGHT_TYPES:
            if move.frm is not None and move.to is not None:
                index = self._straight_lookup()[move.frm * self.grid.n_cells + move.to]
                if index >= 0:
                    return index
            direction, dist = self._step(move.frm, move.to)             # raises UnencodableMove
            return self._at(base["straight"] + direction * self.grid.max_distance + dist - 1, move.frm)
        if t == "recovery_slide":
            direction, dist = self._step(move.frm, move.to)
            if dist != 1:
                raise UnencodableMove("recovery slides go to an adjacent cell")
            mode = move.recovery_mode or "line"
            variant = f"line_{move.recovery_option or 1}" if mode == "line" else mode
            if variant not in RECOVERY_VARIANTS:
                raise UnencodableMove(f"recovery mode {mode!r} option {move.recovery_option!r}")
            return self._at(base["recovery_slide"] + direction * len(RECOVERY_VARIANTS)
                            + RECOVERY_VARIANTS.index(variant), move.frm)
        if t == "eliminate_rings_from_stack":
            return self._at(base["eliminate"], move.to)
        if t == "forced_elimination":
            return self._at(base["forced"], move.to)
        if t == "process_line":
            start, axis = self._line_start_axis(move.line or (move.to,))
            return self._at(base["process_line"] + axis, start)
        if t == "choose_line_option":
            whole = not move.collapsed or set(move.collapsed) == set(move.line or ())
            start, axis = self._line_start_axis(move.line if whole else move.collapsed)
            return self._at(base["choose_line"] + 2 * axis + (0 if whole else 1), start)
        if t == "choose_territory_option":
            region = move.region or (move.to,)
            if not hasattr(state_or_geometry, "marker_owner"):
                raise TypeError("choose_territory_option needs the pre-move state, not a geometry")
            slot = self.territory_slot(state_or_geometry, region, move.player)
            first = min(region, key=self._grid_pos.__getitem__)
            return self._at(base["territory"] + slot, first)
        raise UnencodableMove(f"move type {t!r} has no policy index")

    def _straight_table(self) -> list[int]:
        """Policy index of the straight move frm -> to for every cell pair (-1: not on one ray)."""
        n = self.grid.n_cells
        table = [-1] * (n * n)
        base, max_distance = self.plane_base["straight"], self.grid.max_distance
        for frm in range(n):
            for to in range(n):
                try:
                    direction, dist = self._step(frm, to)
                except UnencodableMove:
                    continue
                if dist <= max_distance:
                    table[frm * n + to] = self._at(base + direction * max_distance + dist - 1, frm)
        return table

    def _straight_lookup(self) -> list[int]:
        if self._straight_index is None:
            self._straight_index = self._straight_table()
        return self._straight_index

    def encode_legal(self, state, legal: list) -> list[int]:
        """The sorted distinct policy indices of the moves `legal` of `state` (the training mask).
        Placements, straight moves and the special types, nearly all of any position's moves, go
        through lookup tables (-1 there: not on one ray); the rest through `encode_move`."""
        straight, n, hw, grid_pos = self._straight_lookup(), self.grid.n_cells, self.grid.hw, self._grid_pos
        place_base, special = (self.plane_base["place_ring"] - 1) * hw, self._special_index     # count 1: plane 0
        out = [place_base + m[5] * hw + grid_pos[m[2]] if m[0] == "place_ring" and 1 <= m[5] <= MAX_PLACEMENT
               else straight[m[3] * n + m[2]] if m[0] in _STRAIGHT_SET
               else special.get(m[0], -1) for m in legal]
        if out and min(out) < 0:
            out = [i if i >= 0 else self.encode_move(state, m) for i, m in zip(out, legal)]
        return sorted(set(out))

    # -- decoding -------------------------------------------------------------------------------
    def legal_index_map(self, state, legal=None) -> dict[int, object]:
        """{policy index: legal move} of `state`; moves with the same identity share an index."""
        by_index: dict[int, object] = {}
        for move in legal_moves(state) if legal is None else legal:
            index = self.encode_move(state, move)
            other = by_index.setdefault(index, move)
            if other is not move and other.key() != move.key():
                raise AssertionError(f"index {index} names two legal moves: {other.key()} and {move.key()}")
        return by_index

    def decode_move(self, state, index: int, legal=None):
        """The legal move of `state` whose policy index is `index` (ValueError if none is)."""
        for move in legal_moves(state) if legal is None else legal:
            if self.encode_move(state, move) == index:
                return move
        raise ValueError(f"index {index} ({self.describe(index)}) is not a legal move in this position")

    def describe(self, index: int) -> str:
        """Human-readable block, plane and cell of an index (for errors and debugging)."""
        if not 0 <= index < self.size:
            return f"out of range 0..{self.size - 1}"
        if index >= self.special_base:
            return SPECIAL_TYPES[index - self.special_base]
        plane, pos = divmod(index, self.grid.hw)
        block = max((b for b in self.plane_base.items() if b[1] <= plane), key=lambda b: b[1])
        row, col = divmod(pos, self.grid.width)
        return f"{block[0]} plane {plane - block[1]} at row {row} col {col}"


@lru_cache(maxsize=None)
def action_space_for(board_type: str) -> ActionSpace:
    return ActionSpace(board_grid(board_type))
