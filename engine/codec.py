"""JSON codec for the reference state (RULES.md 2.1/2.2) and move (2.3) formats, lossless both ways.

Reading keeps the source dict (state: `state.extra["json"]`, move: `move.raw`), and writing overlays the
engine's values on it, so every field of the input survives a round trip. Legacy move-type aliases are
accepted on read only.
"""
from __future__ import annotations

import copy

from .geometry import Geometry, geometry_for
from .moves import BOOKKEEPING_TYPES, SKIP_TYPES, Move
from .state import GameState, collapse, set_marker, set_stack

MOVE_TYPE_ALIASES = {
    "move_ring": "move_stack",
    "build_stack": "move_stack",
    "choose_line_reward": "choose_line_option",
    "process_territory_region": "choose_territory_option",
    "line_formation": "process_line",
    "territory_claim": "choose_territory_option",
    "chain_capture": "continue_capture_segment",
}
NO_TARGET_TYPES = BOOKKEEPING_TYPES | SKIP_TYPES | {"swap_sides", "resign", "timeout"}
ZERO_POS = {"x": 0, "y": 0}


def _geometry(ctx) -> Geometry:
    return ctx.geometry if isinstance(ctx, GameState) else ctx


# ---- positions ------------------------------------------------------------------------------------
def pos_to_cell(g: Geometry, pos) -> int:
    if isinstance(pos, str):
        return g.index(pos)
    if g.is_hex:
        x, y = pos["x"], pos["y"]
        return g.index((x, y, -x - y))
    return g.index((pos["x"], pos["y"]))


def cell_to_pos(g: Geometry, cell: int) -> dict:
    c = g.coords[cell]
    if g.is_hex:
        return {"x": c[0], "y": c[1], "z": c[2]}
    return {"x": c[0], "y": c[1]}


def _cells(g: Geometry, positions):
    return tuple(pos_to_cell(g, p) for p in positions)


# ---- moves ----------------------------------------------------------------------------------------
def move_from_json(d: dict, ctx) -> Move:
    """Move from reference JSON; `ctx` is the GameState (or Geometry) the move belongs to."""
    g = _geometry(ctx)
    t = MOVE_TYPE_ALIASES.get(d.get("type"), d.get("type"))
    to = None
    if t not in NO_TARGET_TYPES and d.get("to") is not None:
        to = pos_to_cell(g, d["to"])
    frm = pos_to_cell(g, d["from"]) if d.get("from") is not None else None
    target = pos_to_cell(g, d["captureTarget"]) if d.get("captureTarget") is not None else None
    count = d.get("placementCount")
    line = collapsed = region = None
    if d.get("formedLines"):
        line = _cells(g, d["formedLines"][0]["positions"])
    if d.get("collapsedMarkers"):
        collapsed = _cells(g, d["collapsedMarkers"])
    if d.get("collapsePositions"):
        collapsed = _cells(g, d["collapsePositions"])
    if d.get("disconnectedRegions"):
        region = _cells(g, d["disconnectedRegions"][0]["spaces"])
    mode = option = extraction = None
    if t == "recovery_slide":
        mode = d.get("recoveryMode") or "line"
        option = d.get("recoveryOption", d.get("option"))
        if option is None and mode == "line":
            option = 1
        if d.get("extractionStacks"):
            extraction = tuple(g.index(k) for k in d["extractionStacks"])
    return Move(t, d.get("player"), to=to, frm=frm, target=target,
                count=count if count is not None else (1 if t == "place_ring" else None),
                line=line, collapsed=collapsed, region=region, recovery_mode=mode, recovery_option=option,
                extraction=extraction, context=d.get("eliminationContext"), raw=d)


def move_to_json(move: Move, ctx) -> dict:
    """Reference JSON of a move. A move read from JSON gives back its source dict (type canonicalised);
    given the GameState *before* the move, generated eliminations/placements carry their diagnostics."""
    if move.raw is not None:
        out = dict(move.raw)
        out["type"] = move.type
        return out
    g = _geometry(ctx)
    t = move.type
    out = {"type": t, "player": move.player}
    out["to"] = cell_to_pos(g, move.to) if move.to is not None else dict(ZERO_POS)
    if move.frm is not None:
        out["from"] = cell_to_pos(g, move.frm)
    if move.target is not None:
        out["captureTarget"] = cell_to_pos(g, move.target)
    state = ctx if isinstance(ctx, GameState) else None
    if t == "place_ring":
        out["placementCount"] = move.count or 1
        if state is not None:
            out["placedOnStack"] = bool(state.stack_height[move.to])
    if move.line:
        out["formedLines"] = [_line_json(g, move.line, move.player)]
        if t == "choose_line_option":
            out["collapsedMarkers"] = [cell_to_pos(g, c) for c in (move.collapsed or move.line)]
    if move.region:
        label = move.player
        out["disconnectedRegions"] = [{"spaces": [cell_to_pos(g, c) for c in move.region],
                                       "controllingPlayer": label, "isDisconnected": True}]
    if t in ("eliminate_rings_from_stack", "forced_elimination") and state is not None:
        c = move.to
        cap, height = state.cap_height[c], state.stack_height[c]
        n = 1 if move.context in ("line", "recovery") else max(1, cap)
        out["eliminatedRings"] = [{"player": move.player, "count": n}]
        if t == "eliminate_rings_from_stack":
            out["eliminationContext"] = move.context or "territory"
        if move.context != "line":  # the reference omits it for line rewards
            out["eliminationFromStack"] = {"position": cell_to_pos(g, c), "capHeight": cap,
                                           "totalHeight": height}
    elif move.context is not None:
        out["eliminationContext"] = move.context
    if t == "recovery_slide":
        out["recoveryMode"] = move.recovery_mode or "line"
        if move.recovery_option is not None:
            out["recoveryOption"] = move.recovery_option
            out["option"] = move.recovery_option  # legacy alias the reference still writes
        if move.recovery_option == 2 and move.collapsed:
            out["collapsePositions"] = [cell_to_pos(g, c) for c in move.collapsed]
        if move.extraction:
            out["extractionStacks"] = [g.keys[c] for c in move.extraction]
    return out


def _line_json(g: Geometry, line, player) -> dict:
    a, b = g.coords[line[0]], g.coords[line[1]] if len(line) > 1 else g.coords[line[0]]
    direction = dict(zip(("x", "y", "z"), (bv - av for av, bv in zip(a, b))))
    return {"positions": [cell_to_pos(g, c) for c in line], "player": player, "length": len(line),
            "direction": direction}


# ---- states ---------------------------------------------------------------------------------------
def state_from_json(d: dict) -> GameState:
    """GameState from a serialized reference state (contract-vector or full TS form)."""
    board = d["board"]
    board_type = board.get("type") or d.get("boardType")
    g = geometry_for(board_type, board.get("size"))
    players = d["players"]
    n = len(players)
    options = dict(d.get("rulesOptions") or {})
    if "lpsRoundsRequired" in d and "lpsRoundsRequired" not in options:
        options["lpsRoundsRequired"] = d["lpsRoundsRequired"]
    s = GameState(g, n, options)
    _check_player_numbers(board, n)
    for i, pl in enumerate(players):
        s.rings_in_hand[i] = int(pl.get("ringsInHand", 0))
        s.eliminated[i] = int(pl.get("eliminatedRings", 0))
        s.territory[i] = int(pl.get("territorySpaces", 0))
    for key, st in (board.get("stacks") or {}).items():
        cell = pos_to_cell(g, st["position"]) if st.get("position") else g.index(key)
        rings = st.get("rings")
        if not rings:
            rings = [st["controllingPlayer"]] * int(st.get("stackHeight", 1))
        rings = tuple(int(r) for r in rings)
        set_stack(s, cell, rings)
        for r in rings:
            if r <= n:
                s.ring_count[r] += 1
    for key, mk in (board.get("markers") or {}).items():
        cell = pos_to_cell(g, mk["position"]) if mk.get("position") else g.index(key)
        set_marker(s, cell, int(mk["player"]))
    for key, owner in (board.get("collapsedSpaces") or {}).items():
        collapse(s, g.index(key), int(owner))
    be = board.get("eliminatedRings")
    if be:
        for k, v in be.items():
            if 1 <= int(k) <= n:
                s.board_eliminated[int(k) - 1] = int(v)
    else:
        s.board_eliminated = [0] * n
    s.current_player = int(d.get("currentPlayer", 1))
    s.phase = d.get("currentPhase", "ring_placement")
    status = d.get("gameStatus", "active")
    s.status = "completed" if status == "finished" else status
    s.winner = d.get("winner")
    s.reason = d.get("victoryReason")
    if d.get("chainCapturePosition"):
        s.chain_pos = pos_to_cell(g, d["chainCapturePosition"])
    if d.get("mustMoveFromStackKey"):
        s.must_move = g.index(d["mustMoveFromStackKey"])
    s.pending_line = bool(d.get("pendingLineRewardElimination", False))
    if d.get("victoryThreshold") is not None:
        s.victory_threshold = int(d["victoryThreshold"])
    if d.get("territoryVictoryMinimum") is not None:
        s.territory_threshold = int(d["territoryVictoryMinimum"])
    elif d.get("territoryVictoryThreshold") is not None:
        s.territory_threshold = int(d["territoryVictoryThreshold"])
    for name, attr in (("lpsRoundIndex", "lps_round_index"), ("lpsConsecutiveExclusiveRounds",
                                                              "lps_exclusive_rounds")):
        if d.get(name) is not None:
            setattr(s, attr, int(d[name]))
    if d.get("lpsConsecutiveExclusivePlayer") is not None:
        s.lps_exclusive_player = int(d["lpsConsecutiveExclusivePlayer"])
    if d.get("lpsCurrentRoundFirstPlayer") is not None:
        s.lps_first_player = int(d["lpsCurrentRoundFirstPlayer"])
    if d.get("lpsCurrentRoundActorMask") is not None:
        mask = d["lpsCurrentRoundActorMask"]
        if isinstance(mask, dict):
            mask = sum(1 << int(k) for k, v in mask.items() if v)
        s.lps_actor_mask = int(mask)
    _flags_from_history(s, d.get("moveHistory") or [])
    # engine extensions (written by state_to_json so our own positions read back exactly)
    if "pendingTerritorySelfElimination" in d:
        s.pending_territory = bool(d["pendingTerritorySelfElimination"])
    if "turnHadAction" in d:
        s.turn_acted = bool(d["turnHadAction"])
    if "turnHadRecovery" in d:
        s.turn_recovery = bool(d["turnHadRecovery"])
    if "lastMover" in d:
        s.last_mover = d["lastMover"]
    if "pieRule" in d:
        s.p1_moved, s.p2_moved, s.swapped = (bool(v) for v in d["pieRule"])
    s.extra = {"json": d, "board_sum": sum(s.board_eliminated)}
    return s


def _check_player_numbers(board: dict, n: int) -> None:
    owners = [r for st in (board.get("stacks") or {}).values() for r in (st.get("rings") or
                                                                         [st.get("controllingPlayer", 1)])]
    owners += [mk.get("player", 1) for mk in (board.get("markers") or {}).values()]
    owners += list((board.get("collapsedSpaces") or {}).values())
    bad = sorted({int(o) for o in owners if not 1 <= int(o) <= n})
    if bad:
        raise ValueError(f"player number(s) {bad} on the board, but the state has {n} player(s)")


def _flags_from_history(s: GameState, history: list) -> None:
    """History-derived flags: this turn's actions, recovery context, pending territory elimination, pie rule."""
    p = s.current_player
    for m in history:
        mp = m.get("player")
        if mp == 1:
            s.p1_moved = True
        elif mp == 2 and m.get("type") != "swap_sides":
            s.p2_moved = True
        if m.get("type") == "swap_sides":
            s.swapped = True
    if history:
        s.last_mover = history[-1].get("player")
    tail = []
    for m in reversed(history):
        if m.get("player") != p:
            break
        tail.append(m)
    for m in tail:
        t = MOVE_TYPE_ALIASES.get(m.get("type"), m.get("type"))
        if t not in BOOKKEEPING_TYPES and t not in SKIP_TYPES:
            s.turn_acted = True
        if t == "recovery_slide":
            s.turn_recovery = True
    if tail and s.phase == "territory_processing":
        last = tail[0]
        if (MOVE_TYPE_ALIASES.get(last.get("type"), last.get("type")) == "choose_territory_option"
                and last.get("disconnectedRegions")):
            s.pending_territory = True
    if tail and s.phase == "movement":
        last = tail[0]
        if last.get("type") == "place_ring" and last.get("to") is not None and s.must_move is None:
            s.must_move = pos_to_cell(s.geometry, last["to"])


def state_to_json(s: GameState) -> dict:
    """Serialized reference state; fields of the JSON the state was read from are kept."""
    g = s.geometry
    n = s.num_players
    src = s.extra.get("json") if s.extra else None
    out = copy.deepcopy(src) if src else {}
    board = out.setdefault("board", {})
    board["type"] = g.board_type
    board["size"] = g.size
    stacks = {}
    for c in range(g.n_cells):
        if s.stack_height[c]:
            stacks[g.keys[c]] = {"position": cell_to_pos(g, c), "rings": list(s.rings[c]),
                                 "stackHeight": s.stack_height[c], "capHeight": s.cap_height[c],
                                 "controllingPlayer": s.stack_owner[c]}
    old_stacks = board.get("stacks") or {}
    for k, v in stacks.items():
        if k in old_stacks and isinstance(old_stacks[k], dict):
            merged = dict(old_stacks[k])
            merged.update(v)
            stacks[k] = merged
    board["stacks"] = stacks
    old_markers = board.get("markers") or {}
    markers = {}
    for c in range(g.n_cells):
        if s.marker_owner[c]:
            k = g.keys[c]
            m = dict(old_markers.get(k) or {"type": "regular"})
            m.update({"position": cell_to_pos(g, c), "player": s.marker_owner[c]})
            markers[k] = m
    board["markers"] = markers
    board["collapsedSpaces"] = {g.keys[c]: s.collapsed_owner[c] for c in range(g.n_cells)
                                if s.collapsed_owner[c]}
    be = dict(board.get("eliminatedRings") or {})
    for i in range(n):
        if be or s.board_eliminated[i] or not src:
            be[str(i + 1)] = s.board_eliminated[i]
    board["eliminatedRings"] = be
    players = out.get("players") or [{} for _ in range(n)]
    for i in range(n):
        pl = players[i]
        pl.setdefault("playerNumber", i + 1)
        pl["ringsInHand"] = s.rings_in_hand[i]
        pl["eliminatedRings"] = s.eliminated[i]
        pl["territorySpaces"] = s.territory[i]
        pl.setdefault("isActive", s.has_material(i + 1))
    out["players"] = players
    out["currentPlayer"] = s.current_player
    out["currentPhase"] = s.phase
    out["gameStatus"] = s.status
    if s.winner is not None or "winner" in out:
        out["winner"] = s.winner
    if s.chain_pos is not None:
        out["chainCapturePosition"] = cell_to_pos(g, s.chain_pos)
    else:
        out.pop("chainCapturePosition", None)
    if s.must_move is not None:
        out["mustMoveFromStackKey"] = g.keys[s.must_move]
    else:
        out.pop("mustMoveFromStackKey", None)
    if s.pending_line or "pendingLineRewardElimination" in out:
        out["pendingLineRewardElimination"] = s.pending_line
    out.setdefault("moveHistory", [])
    out["pendingTerritorySelfElimination"] = s.pending_territory
    out["turnHadAction"] = s.turn_acted
    out["turnHadRecovery"] = s.turn_recovery
    out["lastMover"] = s.last_mover
    out["pieRule"] = [s.p1_moved, s.p2_moved, s.swapped]
    out["lpsRoundIndex"] = s.lps_round_index
    out["lpsCurrentRoundActorMask"] = s.lps_actor_mask
    out["lpsCurrentRoundFirstPlayer"] = s.lps_first_player
    out["lpsConsecutiveExclusiveRounds"] = s.lps_exclusive_rounds
    out["lpsConsecutiveExclusivePlayer"] = s.lps_exclusive_player
    if s.reason is not None:
        out["victoryReason"] = s.reason
    out["victoryThreshold"] = s.victory_threshold
    if src is None or "territoryVictoryMinimum" in out:
        out["territoryVictoryMinimum"] = s.territory_threshold
    if src is None or "territoryVictoryThreshold" in out:
        out.setdefault("territoryVictoryThreshold", s.territory_threshold)
    if src is None:
        out["totalRingsEliminated"] = sum(s.board_eliminated)
    elif "totalRingsEliminated" in out:
        # keep the source's own total, moved by what was eliminated since it was read
        out["totalRingsEliminated"] = src["totalRingsEliminated"] + sum(s.board_eliminated) - s.extra["board_sum"]
    if src is None or "rulesOptions" in out:
        opts = dict(out.get("rulesOptions") or {})
        for k in ("lpsRoundsRequired", "swapRuleEnabled", "hex8LineQuirk"):
            if k in s.options and (src is None or k in opts):
                opts[k] = s.options[k]
        if s.options.get("ringsPerPlayer"):
            opts["ringsPerPlayer"] = s.options["ringsPerPlayer"]
        out["rulesOptions"] = opts
    return out
