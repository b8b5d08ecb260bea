"""Selfplay into the lake, and the raw_games row builder and writer every game producer shares.

    run_selfplay(lake, config, games, agent="random", workers=K, seed=None, batch_size=50,
                 source="selfplay", agents_per_seat=None, progress=True) -> SelfplayReport
    game_row(played_game, config, seats, source, seed, *, game_id=None, ...) -> dict (one raw_games row)
    write_raw_games(lake, rows) -> new raw_games version (one commit)
    write_new_raw_games(lake, rows) -> games inserted (only ids not yet present; one merge commit)
"""
from ringrift_lake.selfplay.rows import (game_row, raw_games_table, seat_rows, write_new_raw_games,
                                         write_raw_games, writer_id)
from ringrift_lake.selfplay.runner import SelfplayError, SelfplayReport, run_selfplay
from ringrift_lake.selfplay.worker import AGENT_NAMES, game_seed, selfplay_game_id

__all__ = [
    "AGENT_NAMES", "SelfplayError", "SelfplayReport", "game_row", "game_seed", "raw_games_table", "run_selfplay",
    "seat_rows", "selfplay_game_id", "write_new_raw_games", "write_raw_games", "writer_id",
]
