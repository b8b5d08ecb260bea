"""Game records: the raw_games row builder and writer every game producer shares, and the game-id scheme.

    game_row(played_game, config, players, source, seed, *, game_id=None, search=None, ...) -> dict
    write_raw_games(lake, rows) -> new raw_games version (one commit)
    write_new_raw_games(lake, rows) -> games inserted (only ids not yet present; one merge commit)
    game_id(config, source, run_seed, index) / game_seed(...) / run_prefix(...) / present_ids(...)

The games themselves are played by `training.play` (selfplay, gauntlets, matches).
"""
from ringrift_lake.records.ids import game_id, game_seed, present_ids, run_prefix, run_seed_for
from ringrift_lake.records.rows import (game_row, raw_games_table, seat_rows, write_new_raw_games,
                                        write_raw_games, writer_id)

__all__ = [
    "game_id", "game_row", "game_seed", "present_ids", "raw_games_table", "run_prefix", "run_seed_for", "seat_rows",
    "write_new_raw_games", "write_raw_games", "writer_id",
]
