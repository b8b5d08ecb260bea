"""Feature planes, globals and value targets: orientation (row = y, col = x), perspective, history,
and the per-game export path agreeing with `encode_state` on every position."""
from __future__ import annotations

import json

import numpy as np
import pytest

from engine import apply_move, geometry_for, legal_moves, move_from_json, new_game
from reference_lake import reference_records, replay_options
from ringrift_lake.encoding import encoder_for
from ringrift_lake.encoding.planes import (FRAME_CHANNELS, GLOBAL_SIZE, HISTORY_CHANNELS, PHASES, PLANE_UNITS,
                                          encode_planes_into)
from ringrift_lake.encoding.targets import final_seat_values, parse_visits
from ringrift_lake.export.encode_games import GameToEncode, _replay, encode_games


def _place(state, cell, count=1):
    move = next(m for m in legal_moves(state) if m.type == "place_ring" and m.to == cell and m.count == count)
    apply_move(state, move)


@pytest.mark.parametrize("board,xy,rc", [("square8", (5, 2), (2, 5)), ("hex8", (1, -2), (2, 5)),
                                         ("square19", (0, 18), (18, 0))])
def test_a_placed_stack_lands_at_row_y_col_x(board, xy, rc):
    encoder = encoder_for(board)
    state = new_game(board, 2)
    cell = geometry_for(board).index(xy)
    _place(state, cell, 2)
    planes, _ = encoder.encode_state(state)
    assert state.current_player == 1
    height = planes[0]                                            # frame 0, relative seat 0 (me), height
    assert height[rc] == pytest.approx(2 / 8)
    assert np.count_nonzero(height) == 1
    cap = planes[FRAME_CHANNELS - 1]
    assert cap[rc] == pytest.approx(2 / 8) and np.count_nonzero(cap) == 1
    assert np.count_nonzero(planes[1:FRAME_CHANNELS - 1]) == 0    # no markers, territory or other stacks
    assert planes[-1][rc] == 1.0 and np.count_nonzero(planes[-1]) == 1   # must-move focus cell


def test_valid_plane_is_the_hexagon():
    valid = encoder_for("hex8").encode_state(new_game("hex8", 2))[0][-2]
    assert valid.sum() == 61 and valid[0, 0] == 0 and valid[4, 4] == 1 and valid[8, 0] == 1
    assert encoder_for("square8").encode_state(new_game("square8", 2))[0][-2].sum() == 64


def test_planes_are_from_the_movers_perspective_and_history_is_stacked():
    record = reference_records("square8_3p")[0]
    geometry = geometry_for("square8")
    state = new_game("square8", 3, replay_options(record))
    history = []
    for data in record["moves"][:40]:
        history.append(state.copy())
        apply_move(state, move_from_json(data, geometry))
    encoder = encoder_for("square8")
    planes, globals_ = encoder.encode_state(state, history)
    me = state.current_player
    for k in range(3):
        seat = (me - 1 + k) % 3 + 1
        owned = np.array([o == seat for o in state.stack_owner]).reshape(8, 8)
        assert np.array_equal(planes[3 * k] > 0, owned)
        markers = np.array([o == seat for o in state.marker_owner], dtype=np.float32).reshape(8, 8)
        assert np.array_equal(planes[3 * k + 1], markers)
        collapsed = np.array([o == seat for o in state.collapsed_owner], dtype=np.float32).reshape(8, 8)
        assert np.array_equal(planes[3 * k + 2], collapsed)
    assert np.count_nonzero(planes[9:12]) == 0                    # no 4th seat in a 3-player game
    caps = np.minimum(np.array(state.cap_height, dtype=np.float32).reshape(8, 8), 8) / 8
    assert np.array_equal(planes[12], caps)
    previous, _ = encoder.encode_state(history[-1], history[:-1])
    # frame 1 now = the previous position, seen from the current mover
    prev_me = history[-1].current_player
    shift = (me - prev_me) % 3
    for k in range(3):
        then = (k + shift) % 3                                    # the same seat in the previous view
        frame1, frame2 = FRAME_CHANNELS + 2 * k, FRAME_CHANNELS + HISTORY_CHANNELS + 2 * k
        assert np.array_equal(planes[frame1:frame1 + 2], previous[3 * then:3 * then + 2])
        # frame 2 now = frame 1 of the previous position, re-seen from the current mover
        earlier = FRAME_CHANNELS + 2 * then
        assert np.array_equal(planes[frame2:frame2 + 2], previous[earlier:earlier + 2])
    assert planes.shape[0] == FRAME_CHANNELS + 2 * HISTORY_CHANNELS + 2 == 31
    assert globals_.shape == (GLOBAL_SIZE,) and globals_[:len(PHASES)].sum() == 1
    assert globals_[PHASES.index(state.phase)] == 1 and globals_[len(PHASES) + 16 + 1] == 1   # 3 players


def test_first_position_has_empty_history():
    planes, _ = encoder_for("hex8").encode_state(new_game("hex8", 4))
    assert np.count_nonzero(planes[:-2]) == 0


@pytest.mark.parametrize("config,game", [("square8_2p", 0), ("hex8_3p", 1), ("square8_4p", 2)])
def test_export_path_equals_encode_state_on_every_position(config, game):
    record = reference_records(config)[game]
    board, n = record["boardType"], record["numPlayers"]
    to_encode = GameToEncode(record["gameId"], 1, record["winner"], replay_options(record),
                             [json.dumps(m) for m in record["moves"]], [None] * len(record["moves"]))
    arrays = encode_games(board, n, [to_encode])
    encoder = encoder_for(board)
    geometry = geometry_for(board)
    state = new_game(board, n, replay_options(record))
    history = []
    for t, data in enumerate(record["moves"]):
        planes, globals_ = encoder.encode_state(state, history)
        assert arrays["planes_nchw"].dtype == np.uint8                     # stored as exact eighths
        assert np.array_equal(arrays["planes_nchw"][t], planes * PLANE_UNITS), t
        assert np.array_equal(arrays["globals_nf"][t], globals_), t
        move = move_from_json(data, geometry)
        assert arrays["policy_indices"][t] == encoder.action_space.encode_move(state, move)
        assert arrays["player_to_move_n"][t] == state.current_player
        history.append(state.copy())
        apply_move(state, move)
    winner_rel = (record["winner"] - arrays["player_to_move_n"].astype(int)) % n
    assert np.all(arrays["values_nseat"][np.arange(len(winner_rel)), winner_rel] == 1.0)
    assert np.array_equal(arrays["value_n"], arrays["values_nseat"][:, 0])


def test_final_seat_values():
    assert final_seat_values(2, 2, [3, 9], [0, 0]).tolist() == [-1, 1, 0, 0]
    assert final_seat_values(3, 2, [5, 9, 5], [3, 0, 1]).tolist() == [0, 1, -1, 0]
    assert final_seat_values(3, 3, [4, 1, 9], [2, 2, 0]).tolist() == [0, -1, 1, 0]
    assert final_seat_values(4, 1, [9, 2, 2, 5], [0, 1, 1, 0]).tolist() == pytest.approx([1, -2 / 3, -2 / 3, 1 / 3])
    assert final_seat_values(4, None, [1, 2, 3, 4], [0, 0, 0, 0]).tolist() == [0, 0, 0, 0]


def test_parse_visits():
    indices, probs = parse_visits('{"7": 3, "2": 1, "9": 0}', 10)
    assert indices.tolist() == [2, 7] and probs.tolist() == [0.25, 0.75]
    assert parse_visits('{"3": 0}', 10) is None and parse_visits(None, 10) is None
    with pytest.raises(ValueError):
        parse_visits('{"10": 1}', 10)


def test_planes_built_in_chunks_equal_planes_built_at_once():
    record = reference_records("hex8_3p")[1]
    to_encode = GameToEncode(record["gameId"], 1, record["winner"], replay_options(record),
                             [json.dumps(m) for m in record["moves"]], [None] * len(record["moves"]))
    raw = _replay(encoder_for("hex8"), "hex8", 3, to_encode)[0].frames()
    grid = encoder_for("hex8").grid
    whole = np.empty((raw.mover_t.shape[0],) + encoder_for("hex8").planes_chw, dtype=np.float32)
    encode_planes_into(grid, raw, 3, whole)
    for chunk in (1, 2, 7, 64):
        pieces = np.empty_like(whole)
        for start in range(0, len(whole), chunk):
            encode_planes_into(grid, raw, 3, pieces[start:start + chunk], start)
        assert np.array_equal(pieces, whole), chunk
