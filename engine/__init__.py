"""RingRift rules engine: pure Python, no I/O, move for move identical to the reference engine.

See docs/contracts.md for the names other packages use and /work/shared/docs/RULES.md for the rules.
Known deliberate deviation from RR-CANON (reference behaviour, one switch away): on hex8 with 3-4 players
lines need 4 markers (`rulesOptions["hex8LineQuirk"] = True`, the default); set it False for the canonical 3.
"""
from .apply import apply_move
from .boards import BOARD_TYPES, BOARDS, Board, Config, board_for
from .codec import move_from_json, move_to_json, state_from_json, state_to_json
from .errors import IllegalMoveError
from .game import CONFIGS, RESIGNATION, GameCheck, PlayedGame, new_game, parse_config, play_game, validate_game
from .geometry import Geometry, geometry_for
from .hashing import fingerprint, state_hash, summary
from .legal import legal_moves
from .moves import Move
from .state import GameState
from .validation import check_move

ENGINE_VERSION = "1.1.0"  # 1.1: stack order for default recovery extraction; legacy replay never declares R172
RULES_VERSION = "rr-canon-2025.12+ref-quirks"

__all__ = [
    "BOARDS", "BOARD_TYPES", "Board", "Config", "board_for", "CONFIGS", "parse_config", "RESIGNATION",
    "ENGINE_VERSION", "RULES_VERSION", "Geometry", "geometry_for",
    "GameState", "Move", "IllegalMoveError", "new_game", "legal_moves", "apply_move", "check_move",
    "move_from_json", "move_to_json", "state_from_json", "state_to_json", "fingerprint", "state_hash",
    "summary", "play_game", "validate_game", "PlayedGame", "GameCheck",
]
