"""D4 symmetries of square boards: a position rebuilt through a symmetry (every cell moved, the engine
computing its legal moves afresh) has exactly the transformed planes, and each remapped policy index of
a legal move is the index of the transformed legal move (same type, mapped from/to cells)."""
from __future__ import annotations

import numpy as np
import pytest

from engine import apply_move, legal_moves, new_game
from engine.agents import RandomAgent
from engine.state import collapse, set_marker, set_stack
from ringrift_lake.encoding import encoder_for
from ringrift_lake.encoding.symmetry import COUNT, square_symmetries

BOARD = "square8"


def transformed_state(state, cell_of_cell: dict):
    """A copy of `state` with the content of every cell c moved to cell_of_cell[c]."""
    out = state.copy()
    n = len(state.stack_owner)
    for c in range(n):
        set_stack(out, c, ())
        set_marker(out, c, 0)
        out.collapsed_owner[c] = 0
    out.collapsed_bb = 0
    out.collapsed_count = [0] * len(out.collapsed_count)
    for c in range(n):
        to = cell_of_cell[c]
        set_stack(out, to, state.rings[c])
        if state.collapsed_owner[c]:
            collapse(out, to, state.collapsed_owner[c])
        elif state.marker_owner[c]:
            set_marker(out, to, state.marker_owner[c])
    for name in ("must_move", "chain_pos"):
        cell = getattr(state, name)
        setattr(out, name, None if cell is None else cell_of_cell[cell])
    out._legal = out._legal_keys = out._regions = None      # the engine's caches of the old layout
    return out


def game_positions(seed: int, plies: int):
    state = new_game(BOARD, 2)
    agent = RandomAgent(seed=seed)
    for _ in range(plies):
        legal = legal_moves(state)
        if state.status != "active" or not legal:
            return
        yield state.copy()
        apply_move(state, agent.select_move(state, legal))


def cell_maps(encoder, k: int) -> dict:
    grid = encoder.grid
    sym = square_symmetries(BOARD)
    cell_at_pos = {int(p): c for c, p in enumerate(grid.grid_pos_c)}
    return {c: cell_at_pos[int(sym.cell_maps[k][grid.grid_pos_c[c]])] for c in range(grid.n_cells)}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_transformed_position_has_the_transformed_planes_and_legal_indices(seed):
    encoder = encoder_for(BOARD)
    space, sym = encoder.action_space, square_symmetries(BOARD)
    maps = {k: cell_maps(encoder, k) for k in range(COUNT)}
    assert sorted(maps[0].items()) == [(c, c) for c in range(encoder.grid.n_cells)]
    remapped_types = set()
    for state in list(game_positions(seed, 160))[::3]:
        planes, globals_ = encoder.encode_state(state, [])
        legal = legal_moves(state)
        for k in range(1, COUNT):
            other = transformed_state(state, maps[k])
            other_planes, other_globals = encoder.encode_state(other, [])
            np.testing.assert_array_equal(sym.transform_planes(planes, k), other_planes)
            np.testing.assert_array_equal(globals_, other_globals)
            other_by_index = {space.encode_move(other, m): m for m in legal_moves(other)}
            for move in legal:
                index = sym.index_maps[k][space.encode_move(state, move)]
                if index < 0:
                    assert move.type in ("process_line", "choose_line_option", "choose_territory_option")
                    continue
                twin = other_by_index[int(index)]
                assert twin.type == move.type
                for cell_name in ("frm", "to"):
                    cell = getattr(move, cell_name)
                    assert getattr(twin, cell_name) == (None if cell is None else maps[k][cell])
                remapped_types.add(move.type)
    assert {"place_ring", "move_stack"} <= remapped_types


def test_the_eight_symmetries_are_distinct_permutations_of_cells_and_indices():
    sym = square_symmetries(BOARD)
    assert len({tuple(m) for m in sym.cell_maps}) == COUNT
    for k in range(COUNT):
        assert sorted(sym.cell_maps[k]) == list(range(sym.hw))
        mapped = sym.index_maps[k][sym.index_maps[k] >= 0]
        assert len(np.unique(mapped)) == len(mapped)


def test_hex_boards_have_no_square_symmetries():
    with pytest.raises(ValueError, match="not a square board"):
        square_symmetries("hex8")
