"""Policy index of each legal move, aligned with the legal list (the network's logits are gathered there).

Placements, straight moves and the special (skip / no-op / swap) moves, nearly all of any position's
moves, depend on the geometry only, so their indices are cached per (type, to, frm, count); the rest
(lines, territory, eliminations, recovery) go through `action_space.encode_move(state, move)` each time.
Distinct legal moves never share an index (the action space guarantees it).
"""
from __future__ import annotations

from ringrift_lake.encoding.action_space import SPECIAL_TYPES, STRAIGHT_TYPES

_GEOMETRY_ONLY = frozenset(("place_ring",) + STRAIGHT_TYPES + SPECIAL_TYPES)


class MoveIndexer:
    def __init__(self, action_space):
        self.action_space = action_space
        self._cache: dict[tuple, int] = {}

    def indices(self, state, legal: list) -> list[int]:
        cache, encode = self._cache, self.action_space.encode_move
        out = []
        for m in legal:
            if m[0] in _GEOMETRY_ONLY:
                key = (m[0], m[2], m[3], m[5])
                index = cache.get(key)
                if index is None:
                    index = cache[key] = encode(state, m)
            else:
                index = encode(state, m)
            out.append(index)
        return out
