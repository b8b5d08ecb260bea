"""Every move of the reference games has an index in its board's action space, decodes back to
itself, and distinct legal moves of a position never share an index; `encode_legal` (the shards'
legal-move mask) gives exactly those indices (checked on every position of the replayed games: a
subset by default, all 227 games with -m slow)."""
from __future__ import annotations

import pytest

from engine import apply_move, geometry_for, legal_moves, move_from_json, new_game
from ringrift_lake.encoding import UnencodableMove, action_space_for
from ringrift_lake.encoding.planes import CELL_FIELDS
from ringrift_lake.export.encode_games import BOARD_UNCHANGED_TYPES, ONLY_MOVE_TYPES
from reference_lake import CONFIGS, reference_records, replay_options

RARE_TYPES = ("process_line", "choose_line_option", "recovery_slide", "forced_elimination", "skip_recovery",
              "skip_placement", "no_movement_action", "skip_territory_processing")


def positions(config: str, record: dict):
    """(pre-move state, recorded move) for every ply of a reference game."""
    board, n = record["boardType"], record["numPlayers"]
    geometry = geometry_for(board)
    state = new_game(board, n, replay_options(record))
    for data in record["moves"]:
        move = move_from_json(data, geometry)
        yield state, move
        apply_move(state, move)


def default_games():
    """Small-board games that cover every rare move type, plus the first game of each big board."""
    chosen, covered = [], set()
    for config in CONFIGS:
        records = reference_records(config)
        if config.startswith(("square19", "hexagonal")):
            if config.endswith("2p"):
                chosen.append((config, 0))
            continue
        for i, record in enumerate(records):
            types = {m["type"] for m in record["moves"]} & set(RARE_TYPES)
            if types - covered or i == 0:
                chosen.append((config, i))
                covered |= types
    return chosen


def check_game(config: str, record: dict) -> set[str]:
    space = action_space_for(record["boardType"])
    seen_types = set()
    for state, move in positions(config, record):
        legal = legal_moves(state)
        by_index = space.legal_index_map(state, legal)          # raises on two legal moves sharing an index
        assert space.encode_legal(state, legal) == sorted(by_index)    # the training mask's fast path
        assert all(0 <= i < space.size for i in by_index)
        index = space.encode_move(state, move)
        assert 0 <= index < space.size
        decoded = space.decode_move(state, index, legal)
        assert decoded.key() == move.key(), (record["gameId"], move, decoded, space.describe(index))
        assert len(by_index) == len({m.key() for m in legal})
        seen_types.add(move.type)
        if move.type in ONLY_MOVE_TYPES:                  # the export's mask shortcut for these
            assert [m.key() for m in legal] == [move.key()], (record["gameId"], move)
        if move.type in BOARD_UNCHANGED_TYPES:            # the export reuses the previous frame after these
            after = apply_move(state.copy(), move)
            assert all(getattr(after, f) == getattr(state, f) for f in CELL_FIELDS), (record["gameId"], move)
    return seen_types


@pytest.mark.parametrize("config,game", default_games(), ids=lambda v: str(v))
def test_reference_moves_round_trip_and_legal_indices_are_distinct(config, game):
    check_game(config, reference_records(config)[game])


def test_default_subset_covers_the_rare_move_types():
    covered = set()
    for config, game in default_games():
        covered |= {m["type"] for m in reference_records(config)[game]["moves"]}
    assert set(RARE_TYPES) <= covered


@pytest.mark.slow
@pytest.mark.parametrize("config", CONFIGS)
def test_every_reference_game(config):
    for record in reference_records(config):
        check_game(config, record)


def test_layout_is_plane_major_with_row_y_col_x():
    space = action_space_for("square8")
    geometry = geometry_for("square8")
    state = new_game("square8", 2)
    cell = geometry.index((5, 2))                                 # x = 5, y = 2
    place = next(m for m in legal_moves(state) if m.type == "place_ring" and m.to == cell and m.count == 2)
    assert space.encode_move(state, place) == 1 * 64 + 2 * 8 + 5
    assert space.size == space.n_planes * 64 + 9 and space.special_base == space.n_planes * 64


def test_malformed_moves_are_refused():
    space = action_space_for("hex8")
    state = new_game("hex8", 2)
    bad_step = move_from_json({"type": "move_stack", "player": 1, "from": {"x": 0, "y": 0, "z": 0},
                               "to": {"x": 2, "y": -1, "z": -1}}, geometry_for("hex8"))
    with pytest.raises(UnencodableMove):
        space.encode_move(state, bad_step)
    with pytest.raises(ValueError):
        space.decode_move(state, space.special_base + 3)          # skip_capture is not legal at the start
