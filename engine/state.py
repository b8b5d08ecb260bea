"""GameState: flat per-cell arrays plus per-player bitboards and counters, all kept in step by `set_stack` & co.

Seats are 1-based; per-seat lists (`rings_in_hand`, `eliminated`, `territory`) are indexed by seat-1, per-player
bitboards and ring counts (`stack_bb`, `marker_bb`, `ring_count`, `collapsed_count`) by the seat itself
(index 0 unused).

`stack_since` orders the stacks as the canonical engines' stack maps do (insertion order): a stack
gets the next `stack_clock` tick when it appears on a cell without one (placement on an empty cell,
a move or capture landing, a loaded state's stacks in file order) and keeps it while it changes in place.
Where a rule takes "the first eligible stack" without the move naming one, it is first in this order.
"""
from __future__ import annotations

from .boards import board_for
from .geometry import Geometry

DEFAULT_RULES_OPTIONS = {
    "lpsRoundsRequired": 3,  # R172 on for our own games
    "swapRuleEnabled": False,
    "hex8LineQuirk": True,  # reference behaviour: hex8 3-4p lines need 4 markers
}


def effective_line_length(board_type: str, num_players: int) -> int:
    """Line length threshold L (RULES.md 1.1): decides exact vs overlength lines and option-2 segments."""
    if board_type in ("square8", "hex8") and num_players != 2:
        return 3
    return 4


def line_scan_length(board_type: str, num_players: int, hex8_quirk: bool) -> int:
    """Shortest run the line scan reports. With the reference quirk, hex8 3-4p scans with the board's
    base length 4 (deviation from RR-CANON, where it is 3); otherwise it equals L."""
    if hex8_quirk and board_type == "hex8":
        return 4
    return effective_line_length(board_type, num_players)


def victory_threshold_for(rings_per_player: int, num_players: int) -> int:
    return round(rings_per_player * (2 / 3 + (num_players - 1) / 3))


class GameState:
    __slots__ = (
        "geometry", "num_players", "current_player", "phase", "status", "winner", "reason",
        "rings_in_hand", "eliminated", "territory", "board_eliminated", "move_count",
        "stack_owner", "stack_height", "cap_height", "marker_owner", "collapsed_owner", "rings",
        "stack_since", "stack_clock", "stack_bb", "marker_bb", "collapsed_bb", "ring_count", "collapsed_count",
        "must_move", "chain_pos", "pending_line", "pending_territory", "turn_acted", "turn_recovery",
        "last_mover", "p1_moved", "p2_moved", "swapped",
        "rings_per_player", "victory_threshold", "territory_threshold", "line_length", "line_scan_length",
        "options",
        "lps_round_index", "lps_actor_mask", "lps_first_player", "lps_exclusive_rounds",
        "lps_exclusive_player", "lps_declares", "extra", "_legal", "_legal_keys", "_regions",
    )

    def __init__(self, geometry: Geometry, num_players: int, rules_options: dict | None = None):
        n = geometry.n_cells
        self.geometry = geometry
        self.num_players = num_players
        opts = dict(DEFAULT_RULES_OPTIONS)
        if rules_options:
            opts.update(rules_options)
        self.options = opts
        rpp = opts.get("ringsPerPlayer") or board_for(geometry.board_type).rings_per_player
        self.rings_per_player = rpp
        self.current_player = 1
        self.phase = "ring_placement"
        self.status = "active"
        self.winner = None
        self.reason = None
        self.rings_in_hand = [rpp] * num_players
        self.eliminated = [0] * num_players
        self.territory = [0] * num_players
        self.board_eliminated = [0] * num_players
        self.move_count = 0
        self.stack_owner = [0] * n
        self.stack_height = [0] * n
        self.cap_height = [0] * n
        self.marker_owner = [0] * n
        self.collapsed_owner = [0] * n
        self.rings = [()] * n  # per cell: rings top -> bottom
        self.stack_since = [0] * n  # per cell: when its stack appeared (0 = no stack), see the module docstring
        self.stack_clock = 0
        self.stack_bb = [0] * (num_players + 1)
        self.marker_bb = [0] * (num_players + 1)
        self.collapsed_bb = 0
        self.ring_count = [0] * (num_players + 1)
        self.collapsed_count = [0] * (num_players + 1)
        self.must_move = None
        self.chain_pos = None
        self.pending_line = False
        self.pending_territory = False
        self.turn_acted = False
        self.turn_recovery = False
        self.last_mover = None
        self.p1_moved = False
        self.p2_moved = False
        self.swapped = False
        self.victory_threshold = victory_threshold_for(rpp, num_players)
        self.territory_threshold = n // num_players + 1
        self.line_length = effective_line_length(geometry.board_type, num_players)
        self.line_scan_length = line_scan_length(
            geometry.board_type, num_players, bool(opts.get("hex8LineQuirk", True)))
        self.lps_round_index = 0
        self.lps_actor_mask = 0
        self.lps_first_player = None
        self.lps_exclusive_rounds = 0
        self.lps_exclusive_player = None
        self.lps_declares = True  # False: R172 rounds are counted but never end the game (legacy replay)
        self.extra = {}
        self._legal = None
        self._legal_keys = None
        self._regions = None

    @property
    def board_type(self) -> str:
        return self.geometry.board_type

    @property
    def lps_rounds_required(self) -> int:
        return int(self.options.get("lpsRoundsRequired") or 0)

    def copy(self) -> "GameState":
        c = GameState.__new__(GameState)
        c.geometry = self.geometry
        c.num_players = self.num_players
        c.current_player = self.current_player
        c.phase = self.phase
        c.status = self.status
        c.winner = self.winner
        c.reason = self.reason
        c.rings_in_hand = self.rings_in_hand[:]
        c.eliminated = self.eliminated[:]
        c.territory = self.territory[:]
        c.board_eliminated = self.board_eliminated[:]
        c.move_count = self.move_count
        c.stack_owner = self.stack_owner[:]
        c.stack_height = self.stack_height[:]
        c.cap_height = self.cap_height[:]
        c.marker_owner = self.marker_owner[:]
        c.collapsed_owner = self.collapsed_owner[:]
        c.rings = self.rings[:]
        c.stack_since = self.stack_since[:]
        c.stack_clock = self.stack_clock
        c.stack_bb = self.stack_bb[:]
        c.marker_bb = self.marker_bb[:]
        c.collapsed_bb = self.collapsed_bb
        c.ring_count = self.ring_count[:]
        c.collapsed_count = self.collapsed_count[:]
        c.must_move = self.must_move
        c.chain_pos = self.chain_pos
        c.pending_line = self.pending_line
        c.pending_territory = self.pending_territory
        c.turn_acted = self.turn_acted
        c.turn_recovery = self.turn_recovery
        c.last_mover = self.last_mover
        c.p1_moved = self.p1_moved
        c.p2_moved = self.p2_moved
        c.swapped = self.swapped
        c.rings_per_player = self.rings_per_player
        c.victory_threshold = self.victory_threshold
        c.territory_threshold = self.territory_threshold
        c.line_length = self.line_length
        c.line_scan_length = self.line_scan_length
        c.options = self.options
        c.lps_round_index = self.lps_round_index
        c.lps_actor_mask = self.lps_actor_mask
        c.lps_first_player = self.lps_first_player
        c.lps_exclusive_rounds = self.lps_exclusive_rounds
        c.lps_exclusive_player = self.lps_exclusive_player
        c.lps_declares = self.lps_declares
        c.extra = self.extra
        c._legal = self._legal
        c._legal_keys = self._legal_keys
        c._regions = self._regions
        return c

    # ---- derived views --------------------------------------------------------------------------
    def all_stacks_bb(self) -> int:
        bb = 0
        for b in self.stack_bb:
            bb |= b
        return bb

    def all_markers_bb(self) -> int:
        bb = 0
        for b in self.marker_bb:
            bb |= b
        return bb

    def has_material(self, player: int) -> bool:
        """Player still has a ring somewhere (hand or board, buried included)."""
        return self.rings_in_hand[player - 1] > 0 or self.ring_count[player] > 0

    def stacks_in_order(self, cells) -> list[int]:
        """`cells` (stack cells) in the order the stacks appeared (see the module docstring)."""
        since = self.stack_since
        return sorted(cells, key=since.__getitem__)

    def stack_count(self) -> int:
        return sum(b.bit_count() for b in self.stack_bb)

    def marker_count(self) -> int:
        return sum(b.bit_count() for b in self.marker_bb)

    def collapsed_total(self) -> int:
        return self.collapsed_bb.bit_count()

    def s_invariant(self) -> int:
        return self.marker_count() + self.collapsed_total() + sum(self.board_eliminated)

    def progress_key(self) -> tuple[int, int, int]:
        """(rings in hand, rings eliminated, collapsed spaces), totals over the players: a game in which
        none of them changes for `Config.stall_cap` plies is moving stacks back and forth."""
        return sum(self.rings_in_hand), sum(self.eliminated), self.collapsed_total()

    def __repr__(self) -> str:
        return (f"GameState({self.geometry.board_type} {self.num_players}p, player {self.current_player}, "
                f"{self.phase}, {self.status}, move {self.move_count})")


# ---- the only mutators of board cells (keep arrays and bitboards in step) -------------------------
def set_stack(s: GameState, cell: int, rings: tuple) -> None:
    """Replace the stack at `cell` by `rings` (top -> bottom; empty tuple removes it)."""
    bit = s.geometry.bit[cell]
    old = s.stack_owner[cell]
    if old:
        s.stack_bb[old] &= ~bit
    if rings:
        if not old:
            s.stack_clock += 1
            s.stack_since[cell] = s.stack_clock
        top = rings[0]
        h = len(rings)
        cap = 1
        while cap < h and rings[cap] == top:
            cap += 1
        s.rings[cell] = rings
        s.stack_owner[cell] = top
        s.stack_height[cell] = h
        s.cap_height[cell] = cap
        s.stack_bb[top] |= bit
    else:
        s.rings[cell] = ()
        s.stack_since[cell] = 0
        s.stack_owner[cell] = 0
        s.stack_height[cell] = 0
        s.cap_height[cell] = 0


def set_marker(s: GameState, cell: int, player: int) -> None:
    """Put a marker of `player` at `cell` (0 removes the marker)."""
    old = s.marker_owner[cell]
    bit = s.geometry.bit[cell]
    if old:
        s.marker_bb[old] &= ~bit
    s.marker_owner[cell] = player
    if player:
        s.marker_bb[player] |= bit


def collapse(s: GameState, cell: int, owner: int) -> None:
    """Make `cell` collapsed territory of `owner` (any marker there is removed)."""
    if s.marker_owner[cell]:
        set_marker(s, cell, 0)
    prev = s.collapsed_owner[cell]
    if prev:
        s.collapsed_count[prev] -= 1
    s.collapsed_owner[cell] = owner
    s.collapsed_count[owner] += 1
    s.collapsed_bb |= s.geometry.bit[cell]


def credit_elimination(s: GameState, player: int, rings: int) -> None:
    """Credit `rings` eliminated rings to `player` (the causer)."""
    s.eliminated[player - 1] += rings
    s.board_eliminated[player - 1] += rings
