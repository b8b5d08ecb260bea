"""Scores of the decision moves (lines, eliminations, territory, recovery) and of lines a move forms.

Mixed into `MoveScorer`, which provides the board arrays (`so`, `sh`, `ch`, `mo`, `co`), `me`, `w`,
`rays`, `half`, `line_len`, `stack_value` and `elim_gain`.
"""
from __future__ import annotations


class DecisionScores:
    # ---- territory ----------------------------------------------------------------------------------
    def territory_counts(self) -> tuple[int, int]:
        """(collapsed cells we own, collapsed cells all opponents own), computed once per decision."""
        if self._territory is None:
            me = self.me
            mine = theirs = 0
            for owner in self.co:
                if owner:
                    if owner == me:
                        mine += 1
                    else:
                        theirs += 1
            self._territory = (mine, theirs)
        return self._territory

    def territory_win_bonus(self, gained: int) -> float:
        mine, theirs = self.territory_counts()
        total = mine + gained
        minimum = len(self.co) // self.num_players + 1
        return self.w.win if total >= minimum and total > theirs else 0.0

    def territory_gain(self, cells: int) -> float:
        return self.w.territory * cells + self.territory_win_bonus(cells)

    # ---- lines ----------------------------------------------------------------------------------------
    def lines_gain(self, a: int, b: int, flipped: list, gone: list) -> float:
        """Value of our lines completed by a move a -> b that flipped `flipped` and collapsed `gone`."""
        mo, me, rays, half, need = self.mo, self.me, self.rays, self.half, self.line_len
        ours = set(flipped)
        ours.add(a)
        lost = set(gone)
        lost.add(b)

        def mine(x: int) -> bool:
            return x in ours or (mo[x] == me and x not in lost)

        found = set()
        for c in ours:
            for axis in range(half):
                run = 1
                end = c
                for x in rays[c][axis + half]:
                    if not mine(x):
                        break
                    run += 1
                    end = x
                for x in rays[c][axis]:
                    if not mine(x):
                        break
                    run += 1
                if run >= need:
                    found.add((axis, end))
        if not found:
            return 0.0
        per_line = self.territory_gain(need) - need * self.w.marker + self.elim_gain(1) - self.w.ring
        return per_line * len(found)

    def line_choice(self, move) -> float:
        line = move.line or ()
        chosen = move.collapsed or line
        n = len(chosen)
        v = self.territory_gain(n) - self.w.marker * n
        if len(chosen) >= len(line) and self.controls_a_stack():
            v += self.elim_gain(1) - self.w.ring
        return v

    def controls_a_stack(self) -> bool:
        return self.me in self.so

    # ---- eliminations -----------------------------------------------------------------------------------
    def elimination(self, move) -> float:
        c = move.to
        context = move.context
        if move.type == "forced_elimination":
            context = "forced"
        elif context is None:
            context = "line" if self.state.phase == "line_processing" else "territory"
        if context == "recovery":
            shrink = self.w.stack_ring if self.so[c] == self.me else -self.w.stack_ring
            return self.elim_gain(1) - self.w.ring - shrink
        return self.remove_from_top(c, 1 if context == "line" else max(1, self.ch[c]))

    def remove_from_top(self, c: int, n: int) -> float:
        """Value of eliminating the top n rings (ours) of our stack at c."""
        h, cap = self.sh[c], self.ch[c]
        v = self.elim_gain(n) - self.w.ring * n
        lost = 0.0 if n >= self.elim_to_win else self.stacks_lost(1, n)
        if h <= n:
            return v - self.stack_value(h, cap) - lost
        if cap <= n:
            return v - self.stack_value(h, cap) - self.stack_value(h - n, 1) - lost
        return v - (self.w.stack_ring + self.w.cap_ring) * n

    # ---- territory regions --------------------------------------------------------------------------------
    def territory_choice(self, move) -> float:
        region = move.region
        if not region:
            return 1.0
        so, sh, ch, mo, me = self.so, self.sh, self.ch, self.mo, self.me
        credit = 0
        mine_inside = 0
        v = 0.0
        for c in region:
            owner = so[c]
            if owner:
                height, cap = sh[c], ch[c]
                credit += height
                if owner == me:
                    mine_inside += 1
                    v -= self.stack_value(height, cap) + self.w.ring * (cap - (height - cap))
                else:
                    v += self.stack_value(height, cap) + self.w.ring * (cap - (height - cap))
            marker = mo[c]
            if marker:
                v += -self.w.marker if marker == me else self.w.marker
        v += self.elim_gain(credit) + self.territory_gain(len(region))
        if credit >= self.elim_to_win:
            return v
        v -= self.stacks_lost(mine_inside, credit)
        # Processing obliges us to eliminate the cap of one of our stacks outside the region: the best one.
        inside = set(region)
        outside = [self.remove_from_top(c, so_c_cap) for c, so_c_cap in self.my_caps() if c not in inside]
        return v + (max(outside) if outside else 0.0)

    def my_caps(self) -> list[tuple[int, int]]:
        me, ch = self.me, self.ch
        return [(c, ch[c]) for c, owner in enumerate(self.so) if owner == me]

    # ---- recovery ---------------------------------------------------------------------------------------
    def recovery_slide(self, move) -> float:
        w = self.w
        mode = move.recovery_mode or "line"
        if mode == "stack_strike":
            return self.elim_gain(2) - w.marker
        if mode == "fallback":
            return self.elim_gain(1) - w.ring
        n = self.line_len
        v = self.territory_gain(n) - w.marker * (n - 1)
        if move.recovery_option != 2:
            v += self.elim_gain(1) - w.ring
        return v
