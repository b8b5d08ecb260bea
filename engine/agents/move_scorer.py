"""One-ply move scores computed from the flat board arrays, without applying any move.

A score is the change a move makes to the mover's evaluation: eliminations credited (the victory race;
weighted by setting, see `HeuristicWeights`), rings in play and in hand, territory, markers, control of
stacks (losing the last one is penalised), lines completed, plus local terms read off the rays and the
neighbourhood of the landing cell: can an opponent capture the stack there next, how many opponent stacks can
it capture, can it still move, does it sit in a small closed pocket (`PocketScores`). A placement is scored
with the best move the placed stack could then make, since it must move this turn. Bookkeeping moves
(`no_*_action`, skips) score 0; every other score is relative to that.
"""
from __future__ import annotations

from .board_tables import line_length, tables_for, victory_threshold
from .decision_scores import DecisionScores
from .pocket_scores import PocketScores

NEG = float("-inf")
LARGE_BOARD_CELLS = 100  # square8/hex8 have 64/61 cells, square19/hexagonal 361/469


class MoveScorer(DecisionScores, PocketScores):
    """Scores the moves of one decision; build one per `select_move` call (it caches per-cell work)."""

    def __init__(self, state, weights):
        geometry = state.geometry
        tables = tables_for(geometry)
        self.state = state
        self.w = weights
        self.tables = tables
        self.rays = tables.rays
        self.half = tables.half
        self.me = me = state.current_player
        self.num_players = state.num_players
        self.so = state.stack_owner
        self.sh = state.stack_height
        self.ch = state.cap_height
        self.mo = state.marker_owner
        self.co = state.collapsed_owner
        self.line_len = (getattr(state, "line_length", None)
                         or line_length(geometry.board_type, state.num_players))
        self.elim_to_win = victory_threshold(state) - state.eliminated[me - 1]
        if state.num_players > 2:
            self.elim_weight = weights.eliminated_multi
        elif geometry.n_cells > LARGE_BOARD_CELLS:
            self.elim_weight = weights.eliminated_large
        else:
            self.elim_weight = weights.eliminated
        self.flip_value = 2.0 * weights.marker
        self.collapse_value = weights.territory - weights.marker
        self.my_hand = state.rings_in_hand[me - 1]
        self.my_stacks = sum(1 for owner in self.so if owner == me)
        self._territory = None
        self._quick = {}
        self._exposed_before = {}
        self.dispatch = {
            "place_ring": self.place_ring,
            "skip_placement": self.skip_placement,
            "move_stack": self.move_stack,
            "overtaking_capture": self.capture,
            "continue_capture_segment": self.capture,
            "process_line": self.line_choice,
            "choose_line_option": self.line_choice,
            "eliminate_rings_from_stack": self.elimination,
            "forced_elimination": self.elimination,
            "choose_territory_option": self.territory_choice,
            "recovery_slide": self.recovery_slide,
            "swap_sides": lambda move: weights.swap,
        }

    def score(self, move) -> float:
        fn = self.dispatch.get(move.type)
        return fn(move) if fn is not None else 0.0

    # ---- shared value pieces ----------------------------------------------------------------------
    def stack_value(self, height: int, cap: int) -> float:
        w = self.w
        return w.stack + w.stack_ring * height + w.cap_ring * cap

    def elim_gain(self, n: int) -> float:
        return self.elim_weight * n + (self.w.win if n and n >= self.elim_to_win else 0.0)

    def stacks_lost(self, n: int, credit: int = 0) -> float:
        """Penalty for losing control of n stacks when that leaves us none: an opponent who controls every
        stack can process any region, and with an empty hand we have no real action left, so unless the few
        credits still needed can come from recovery, last-player-standing ends the game against us."""
        if not n or self.my_stacks > n:
            return 0.0
        if self.my_hand:
            return self.w.no_stack
        if self.elim_to_win - credit <= self.w.recovery_reach:
            return self.w.last_stack
        return self.w.stranded

    # ---- placement ----------------------------------------------------------------------------------
    def place_ring(self, move) -> float:
        c, k = move.to, (move.count or 1)
        owner = self.so[c]
        if owner == 0:
            h = cap = k
            v = self.stack_value(k, k)
        elif owner == self.me:
            h, cap = self.sh[c] + 1, self.ch[c] + 1
            v = self.w.stack_ring + self.w.cap_ring
        else:
            h, cap = self.sh[c] + 1, 1
            v = self.stack_value(h, 1) + self.stack_value(self.sh[c], self.ch[c])
        v -= self.w.hand_ring * k
        return v + self.w.follow_up * self.quick_best(c, h, cap)

    def skip_placement(self, move) -> float:
        so, me = self.so, self.me
        best = 0.0
        for c in range(len(so)):
            if so[c] == me:
                best = max(best, self.quick_best(c, self.sh[c], self.ch[c]))
        return self.w.follow_up * best

    def quick_best(self, c: int, h: int, cap: int) -> float:
        """Best marker/elimination/capture gain of one move of a (h, cap) stack from c; no safety terms."""
        key = (c, h, cap)
        cached = self._quick.get(key)
        if cached is not None:
            return cached
        so, ch, mo, co = self.so, self.ch, self.mo, self.co
        me, flip, collapse = self.me, self.flip_value, self.collapse_value
        land_on_marker = self.landing_marker_delta(h, cap)
        best = NEG
        for ray in self.rays[c]:
            acc = self.w.marker  # departure marker
            for i, x in enumerate(ray):
                if co[x]:
                    break
                if so[x]:
                    if ch[x] <= cap and x != c:
                        gain, nh, ncap = self.target_gain(x, h, cap)
                        acc2 = acc + gain
                        for j in range(i + 1, len(ray)):
                            y = ray[j]
                            if co[y] or so[y]:
                                break
                            if j + 1 >= h:
                                land = self.landing_marker_delta(nh, ncap) if mo[y] else 0.0
                                best = max(best, acc2 + land)
                            m = mo[y]
                            acc2 += (collapse if m == me else flip) if m else 0.0
                    break
                m = mo[x]
                if i + 1 >= h:
                    best = max(best, acc + land_on_marker if m else acc)
                if m:
                    acc += collapse if m == me else flip
        if best == NEG:
            best = 0.0
        self._quick[key] = best
        return best

    # ---- movement and capture -----------------------------------------------------------------------
    def move_stack(self, move) -> float:
        a, b = move.frm, move.to
        d, dist = self.tables.direction(a, b)
        if d < 0:
            return 0.0
        h, cap = self.sh[a], self.ch[a]
        v, flipped, gone = self.path_gain(self.rays[a][d][:dist - 1])
        return v + self.after_landing(a, b, h, cap, flipped, gone)

    def capture(self, move) -> float:
        a, t, b = move.frm, move.target, move.to
        d, dist_t = self.tables.direction(a, t)
        d2, dist_b = self.tables.direction(a, b)
        if d < 0 or d2 != d:
            return 0.0
        ray = self.rays[a][d]
        h, cap = self.sh[a], self.ch[a]
        v, flipped, gone = self.path_gain(ray[:dist_t - 1] + ray[dist_t:dist_b - 1])
        gain, nh, ncap = self.target_gain(t, h, cap)
        return v + gain + self.after_landing(a, b, nh, ncap, flipped, gone)

    def path_gain(self, cells) -> tuple[float, list, list]:
        """Departure marker plus flips/collapses along the path, with the flipped and collapsed cells."""
        mo, me = self.mo, self.me
        flipped = []
        collapsed = []
        for x in cells:
            m = mo[x]
            if m:
                if m == me:
                    collapsed.append(x)
                else:
                    flipped.append(x)
        v = self.w.marker + len(flipped) * self.flip_value + len(collapsed) * self.collapse_value
        if collapsed:
            v += self.territory_win_bonus(len(collapsed))
        return v, flipped, collapsed

    def target_gain(self, t: int, h: int, cap: int) -> tuple[float, int, int]:
        """Gain from taking the top ring of the stack at t, and the attacker's new (height, cap)."""
        owner, ht, ct = self.so[t], self.sh[t], self.ch[t]
        if owner != self.me:
            v = self.w.captured_ring
            if ht == 1:
                v += self.stack_value(1, 1)
            elif ct == 1:
                v += self.stack_value(ht, 1)
                if self.num_players == 2:
                    v += self.stack_value(ht - 1, 1)
            else:
                v += self.w.stack_ring + self.w.cap_ring
            nh, ncap = h + 1, cap
        else:
            if ht == 1:
                v = -self.stack_value(1, 1)
            elif ct == 1:
                v = -self.stack_value(ht, 1) - self.stack_value(ht - 1, 1) - self.stacks_lost(1)
            else:
                v = -(self.w.stack_ring + self.w.cap_ring)
            nh, ncap = h + 1, (cap + 1 if cap == h else cap)
        return v + self.stack_value(nh, ncap) - self.stack_value(h, cap), nh, ncap

    def landing_marker_delta(self, h: int, cap: int) -> float:
        """Landing on a marker: the mover's top ring is eliminated (credited to the mover)."""
        v = self.elim_gain(1) - self.w.ring
        if h == 1:
            return v - self.stack_value(1, 1) - (0.0 if self.elim_to_win <= 1 else self.stacks_lost(1, 1))
        if cap == 1:
            v -= self.stack_value(h, 1) + self.stack_value(h - 1, 1)
            return v - (0.0 if self.elim_to_win <= 1 else self.stacks_lost(1, 1))
        return v - self.w.stack_ring - self.w.cap_ring

    def after_landing(self, a: int, b: int, h: int, cap: int, flipped: list, gone: list) -> float:
        """Landing-cell effects, lines formed, and the safety/threat balance of the stack at b."""
        v = 0.0
        if self.mo[b]:
            v += self.landing_marker_delta(h, cap)
            if h == 1 or cap == 1:
                return v + self.lines_gain(a, b, flipped, gone) + self.exposure_before(a)
            h, cap = h - 1, cap - 1
        v += self.lines_gain(a, b, flipped, gone) + self.exposure_before(a)
        exposed, targets, mobile = self.scan(b, h, cap, a)
        if exposed:
            v -= self.w.exposure * self.capture_loss(h, cap)
        if not mobile and not targets:
            v -= self.w.stuck
        return v + self.w.chain_threat * targets + self.pocket_value(a, b, h, cap, flipped, gone)

    def capture_loss(self, h: int, cap: int) -> float:
        w = self.w
        if h == 1:
            return w.captured_ring + self.stack_value(1, 1) + self.stacks_lost(1)
        if cap == 1:
            return w.captured_ring + self.stack_value(h, 1) + self.stack_value(h - 1, 1) + self.stacks_lost(1)
        return w.captured_ring + w.stack_ring + w.cap_ring

    def exposure_before(self, a: int) -> float:
        """What moving the stack away from a saves, if it stood under capture threat there."""
        saved = self._exposed_before.get(a)
        if saved is None:
            exposed = self.scan(a, self.sh[a], self.ch[a], -1)[0]
            saved = self.w.exposure * self.capture_loss(self.sh[a], self.ch[a]) if exposed else 0.0
            self._exposed_before[a] = saved
        return saved

    def scan(self, b: int, h: int, cap: int, vacated: int) -> tuple[bool, int, bool]:
        """For a (h, cap) stack of ours at b: (can an opponent capture it next, how many opponent stacks
        can it capture, can it make a plain move at all)."""
        so, sh, ch, co = self.so, self.sh, self.ch, self.co
        me, rays, half = self.me, self.rays[b], self.half
        n_dirs = len(rays)
        exposed = mobile = False
        targets = 0
        for d in range(n_dirs):
            ray = rays[d]
            free = 0
            for x in ray:
                if co[x]:
                    break
                owner = so[x]
                if owner and x != vacated:
                    if owner != me:
                        if not exposed and ch[x] >= cap:
                            exposed = self.free_run(rays[(d + half) % n_dirs], sh[x] - free - 1, vacated)
                        if cap >= ch[x] and self.free_run(ray[free + 1:], h - free - 1, vacated):
                            targets += 1
                    break
                free += 1
            if free >= h:
                mobile = True
        return exposed, targets, mobile

    def free_run(self, cells, need: int, vacated: int) -> bool:
        """Is there a landing cell among `cells` at position >= need (1-based) with a clear way to it?"""
        so, co = self.so, self.co
        for j, y in enumerate(cells):
            if co[y] or (so[y] and y != vacated):
                return False
            if j + 1 >= need:
                return True
        return False
