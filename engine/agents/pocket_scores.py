"""Small closed regions ("pockets") around the cell a stack lands on (RULES.md 1.9, cheaply).

After a move, if the landing cell lies in a small region closed off by collapsed cells, the board edge and
markers of one colour, and no opponent controls a stack in it, the region is disconnected: whoever processes
it eliminates every ring inside, credited to them. If we keep a stack outside it, we process it ourselves in
this turn's territory phase (our rings become our credits); otherwise only an opponent can, taking them all.
Mixed into `MoveScorer`.
"""
from __future__ import annotations

POCKET_LIMIT = 12


class PocketScores:
    def pocket_at(self, b: int, a: int, flipped: list, gone: list) -> list | None:
        """Smallest closed region (<= POCKET_LIMIT cells) holding b after a move a -> b, if any."""
        mo, co, me = self.mo, self.co, self.me
        adjacent = self.tables.territory_adjacent
        ours = set(flipped)
        ours.add(a)
        blocked = set(gone)
        best = None
        for colour in range(1, self.num_players + 1):
            comp = [b]
            seen = {b}
            i = 0
            while i < len(comp) and len(comp) <= POCKET_LIMIT:
                c = comp[i]
                i += 1
                for x in adjacent[c]:
                    if x in seen or co[x] or x in blocked:
                        continue
                    marker = me if x in ours else mo[x]
                    if marker != colour:
                        seen.add(x)
                        comp.append(x)
            if len(comp) <= POCKET_LIMIT and (best is None or len(comp) < len(best)):
                best = comp
        return best

    def pocket_value(self, a: int, b: int, h: int, cap: int, flipped: list, gone: list) -> float:
        comp = self.pocket_at(b, a, flipped, gone)
        if comp is None:
            return 0.0
        so, sh, me = self.so, self.sh, self.me
        rings = h
        stacks_inside = 1
        for c in comp:
            if c == a or c == b or not so[c]:
                continue
            if so[c] != me:
                return 0.0
            rings += sh[c]
            stacks_inside += 1
        if self.my_stacks > stacks_inside:
            gain = self.elim_gain(rings) - self.w.ring * rings + self.territory_gain(len(comp))
            return self.w.follow_up * (gain - self.stack_value(h, cap) + self.elim_gain(1) - self.w.ring)
        return -self.w.pocket_ring * rings - self.stacks_lost(stacks_inside)
