"""Board symmetries (D4 on square8, the rule-keeping four on hex8): a position rebuilt through a symmetry
(every cell moved, the engine computing its legal moves afresh) has exactly the transformed planes, each
remapped policy index of a legal move is the index of the transformed legal move (same type, mapped
from/to cells), and playing a move and its twin leads to positions that are again each other's image."""
from __future__ import annotations

import numpy as np
import pytest

from engine import apply_move, legal_moves, new_game
from engine.agents import RandomAgent
from engine.state import collapse, set_marker, set_stack
from ringrift_lake.encoding import encoder_for
from ringrift_lake.encoding.symmetry import board_symmetries

BOARDS = ["square8", "hex8"]


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


def mapped_move(move, cell_of_cell: dict):
    """`move` with every cell it names moved by `cell_of_cell`."""
    changes = {name: cell_of_cell[getattr(move, name)] for name in ("to", "frm", "target")
               if getattr(move, name) is not None}
    changes |= {name: tuple(cell_of_cell[c] for c in getattr(move, name))
                for name in ("line", "collapsed", "region", "extraction") if getattr(move, name)}
    return move.replace(**changes)


def game_positions(board: str, seed: int, plies: int):
    state = new_game(board, 2)
    agent = RandomAgent(seed=seed)
    for _ in range(plies):
        legal = legal_moves(state)
        if state.status != "active" or not legal:
            return
        yield state.copy()
        apply_move(state, agent.select_move(state, legal))


def cell_maps(encoder, board: str, k: int) -> dict:
    grid = encoder.grid
    sym = board_symmetries(board)
    cell_at_pos = {int(p): c for c, p in enumerate(grid.grid_pos_c)}
    return {c: cell_at_pos[int(sym.cell_maps[k][grid.grid_pos_c[c]])] for c in range(grid.n_cells)}


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_transformed_position_has_the_transformed_planes_and_legal_indices(board, seed):
    encoder = encoder_for(board)
    space, sym = encoder.action_space, board_symmetries(board)
    maps = {k: cell_maps(encoder, board, k) for k in range(sym.count)}
    assert sorted(maps[0].items()) == [(c, c) for c in range(encoder.grid.n_cells)]
    remapped_types = set()
    for ply, state in enumerate(list(game_positions(board, seed, 160))[::3]):
        planes, globals_ = encoder.encode_state(state, [])
        legal = legal_moves(state)
        for k in range(1, sym.count):
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
            move = legal[(ply * 7 + k) % len(legal)]          # one move played on both boards
            index = sym.index_maps[k][space.encode_move(state, move)]
            if index >= 0:
                after, other_after = state.copy(), other.copy()
                apply_move(after, move)
                apply_move(other_after, other_by_index[int(index)])
                assert after.status == other_after.status
                if after.status == "active":
                    np.testing.assert_array_equal(sym.transform_planes(encoder.encode_state(after, [])[0], k),
                                                  encoder.encode_state(other_after, [])[0])
    assert {"place_ring", "move_stack"} <= remapped_types


def test_a_whole_game_replayed_through_a_symmetry_is_the_image_of_the_game():
    """Territory and line outcomes included: every move of a game played on the transformed board (the
    twin of each move, found by its mapped cells) keeps the two positions each other's image to the end."""
    for board in BOARDS:
        encoder = encoder_for(board)
        sym = board_symmetries(board)
        for k in range(1, sym.count):
            maps = cell_maps(encoder, board, k)
            state = new_game(board, 2)
            other = transformed_state(state, maps)
            agent = RandomAgent(seed=10 + k)
            for _ in range(400):
                legal = legal_moves(state)
                if state.status != "active" or not legal:
                    break
                move = agent.select_move(state, legal)
                image = mapped_move(move, maps).key()
                twins = [m for m in legal_moves(other) if m.key() == image]
                assert twins, f"{board} symmetry {k}: no twin of {move}"
                apply_move(state, move)
                apply_move(other, twins[0])
                if state.status == "active":
                    np.testing.assert_array_equal(sym.transform_planes(encoder.encode_state(state, [])[0], k),
                                                  encoder.encode_state(other, [])[0])
            assert other.status == state.status and other.winner == state.winner


@pytest.mark.parametrize("board,count", [("square8", 8), ("square19", 8), ("hex8", 4), ("hexagonal", 12)])
def test_the_symmetries_are_distinct_permutations_of_cells_and_indices(board, count):
    sym = board_symmetries(board)
    assert sym.count == count
    assert len({tuple(m) for m in sym.cell_maps}) == count
    for k in range(count):
        assert sorted(sym.cell_maps[k]) == list(range(sym.hw))
        mapped = sym.index_maps[k][sym.index_maps[k] >= 0]
        assert len(np.unique(mapped)) == len(mapped)


def test_a_batch_transform_applies_each_samples_own_symmetry():
    sym = board_symmetries("hex8")
    rng = np.random.default_rng(0)
    planes_bchw = rng.integers(0, 8, size=(5, 3, sym.height, sym.width)).astype(np.uint8)
    k_b = np.array([0, 1, 2, 3, 1])
    out = sym.transform_planes_batch(planes_bchw, k_b)
    for b in range(5):
        np.testing.assert_array_equal(out[b], sym.transform_planes(planes_bchw[b], int(k_b[b])))
