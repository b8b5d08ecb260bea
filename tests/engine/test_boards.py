"""The board records agree with the engine geometry and the encoder's action space (one fact, one place)."""
import pytest

from engine import BOARDS, CONFIGS, geometry_for, new_game, parse_config
from ringrift_lake.encoding import encoder_for


@pytest.mark.parametrize("board_type", sorted(BOARDS))
def test_board_record_matches_geometry_state_and_action_space(board_type):
    board = BOARDS[board_type]
    geometry = geometry_for(board_type)
    assert geometry.size == board.size and geometry.is_hex == board.is_hex
    assert new_game(board_type, 2).rings_per_player == board.rings_per_player
    assert encoder_for(board_type).action_space.size == board.policy_size
    assert board.move_cap == 2 * board.length_bounds[1] > board.length_bounds[0] > 0


def test_parse_config_returns_the_record_and_names_the_valid_configs():
    cfg = parse_config("hex8_3p")
    assert (cfg.name, cfg.board_type, cfg.num_players, str(cfg)) == ("hex8_3p", "hex8", 3, "hex8_3p")
    assert parse_config(cfg) is cfg and len(CONFIGS) == 12
    with pytest.raises(ValueError, match="valid configs: square8_2p"):
        parse_config("square9_2p")
