"""State fingerprint, 16-hex compact hash (RULES.md 2.5) and the per-move summary of the reference records (4.1)."""
from __future__ import annotations

from .state import GameState

M32 = 0xFFFFFFFF


def fingerprint(s: GameState) -> str:
    if s.status in ("completed", "finished", "abandoned"):
        meta = f"0:game_over:{'completed' if s.status == 'finished' else s.status}:{int(s.pending_line)}"
    else:
        meta = f"{s.current_player}:{s.phase}:{s.status}:{int(s.pending_line)}"
    players = sorted(f"{p + 1}:{s.rings_in_hand[p]}:{s.eliminated[p]}:{s.territory[p]}"
                     for p in range(s.num_players))
    keys = s.geometry.keys
    order = s.geometry.fingerprint_order
    so, sh, ch, mo, co = s.stack_owner, s.stack_height, s.cap_height, s.marker_owner, s.collapsed_owner
    stacks = [f"{keys[c]}:{so[c]}:{sh[c]}:{ch[c]}" for c in order if sh[c]]
    markers = [f"{keys[c]}:{mo[c]}" for c in order if mo[c]]
    collapsed = [f"{keys[c]}:{co[c]}" for c in order if co[c]]
    return "#".join((meta, "|".join(players), "|".join(stacks), "|".join(markers), "|".join(collapsed)))


def hash_string(text: str) -> str:
    """cyrb53-style 2x32-bit hash over UTF-16 code units, as 16 hex chars (h2 then h1)."""
    h1 = 0xDEADBEEF
    h2 = 0x41C6CE57
    data = text.encode("utf-16-le")
    units = memoryview(data).cast("H") if len(data) else ()
    for c in units:
        h1 = ((h1 ^ c) * 2654435761) & M32
        h2 = ((h2 ^ c) * 1597334677) & M32
    h1 = (((h1 ^ (h1 >> 16)) * 2246822507) & M32) ^ (((h2 ^ (h2 >> 13)) * 3266489909) & M32)
    h2 = (((h2 ^ (h2 >> 16)) * 2246822507) & M32) ^ (((h1 ^ (h1 >> 13)) * 3266489909) & M32)
    return f"{h2:08x}{h1:08x}"


def state_hash(s: GameState) -> str:
    return hash_string(fingerprint(s))


def summary(s: GameState) -> dict:
    """The reference record's per-move summary of a state."""
    n = s.num_players
    out = {
        "phase": s.phase,
        "player": s.current_player,
        "status": s.status,
        "stacks": s.stack_count(),
        "markers": s.marker_count(),
        "collapsed": s.collapsed_total(),
        "ringsInHand": list(s.rings_in_hand[:n]),
        "eliminated": list(s.eliminated[:n]),
        "territory": list(s.territory[:n]),
        "S": s.s_invariant(),
        "hash": state_hash(s),
    }
    if s.status == "completed":
        out["winner"] = s.winner
    return out
