"""The lake's quality checks (DESIGN.md section 4), each one SQL query.

A check's query runs over the views ``games`` and ``moves`` (the lake tables
from ``query.connect``, or a candidate batch registered under those names
during consolidation) and returns the offending rows: empty means pass.

Blocking per-game checks return ``game_id`` and ``config`` in every row;
consolidation quarantines those games with the check's name as the reason.
Warnings describe the population (balance, lengths) and never quarantine.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.boards import BOARDS
from ringrift_lake.schemas import MOVE_TYPE_FIELDS

BLOCKING = "blocking"
WARNING = "warning"

# Winner NULL is only a valid end with one of these reasons.
DRAW_REASONS = ("draw",)
MIN_MOVES = 5
# A seat's share of the decided games of a config must lie in [LOW, HIGH] x (1 / num_players)
# once the config has at least this many decided games (2p: 30-70 %, as the previous system).
BALANCE_MIN_GAMES = 100
BALANCE_LOW, BALANCE_HIGH = 0.6, 1.4
# Plausible game lengths in plies (bookkeeping moves included): the board records' `length_bounds`.
LENGTH_BOUNDS = {name: board.length_bounds for name, board in BOARDS.items()}


@dataclass(frozen=True)
class Check:
    name: str
    severity: str        # blocking | warning
    description: str
    sql: str
    per_game: bool       # rows carry game_id + config; a blocking per-game check quarantines them

    @property
    def quarantines(self) -> bool:
        return self.per_game and self.severity == BLOCKING


def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


_SEATS_OF = "[s.seat FOR s IN g.seats]"

UNIQUE_GAME_ID = Check(
    "unique_game_id", BLOCKING, "every game_id appears once in games",
    """SELECT game_id, min(config) AS config, count(*) AS copies
       FROM games GROUP BY game_id HAVING count(*) > 1""",
    per_game=True)

_SUMMARY_TOTAL = " + ".join(f"coalesce(g.move_type_counts.{t}, 0)" for t in MOVE_TYPE_FIELDS)

MOVE_COUNT_MATCHES = Check(
    "move_count_matches", BLOCKING,
    "a game's num_moves equals its number of moves rows (and the total of its move_type_counts summary)",
    f"""SELECT g.game_id, g.config, g.num_moves, coalesce(m.rows, 0) AS moves_rows,
               {_SUMMARY_TOTAL} AS summary_moves
        FROM games g LEFT JOIN (SELECT game_id, count(*) AS rows FROM moves GROUP BY game_id) m
          ON m.game_id = g.game_id
        WHERE g.num_moves IS DISTINCT FROM coalesce(m.rows, 0)
           OR (g.move_type_counts IS NOT NULL AND {_SUMMARY_TOTAL} <> g.num_moves)""",
    per_game=True)

MOVES_NUMBERED = Check(
    "moves_numbered", BLOCKING, "a game's moves are numbered 1..n without gaps or repeats",
    """SELECT game_id, min(config) AS config, min(ply) AS first_ply, max(ply) AS last_ply,
              count(*) AS rows, count(DISTINCT ply) AS distinct_plies
       FROM moves GROUP BY game_id
       HAVING min(ply) IS DISTINCT FROM 1 OR max(ply) IS DISTINCT FROM count(*)
           OR count(DISTINCT ply) <> count(*)""",
    per_game=True)

MOVER_IS_SEAT = Check(
    "mover_is_seat", BLOCKING, "every move's player is one of the game's seats",
    f"""SELECT m.game_id, g.config, m.ply, m.player, {_SEATS_OF} AS seats
        FROM moves m JOIN games g ON g.game_id = m.game_id
        WHERE m.player IS NULL OR NOT list_contains({_SEATS_OF}, m.player)""",
    per_game=True)

COMPLETED_WITH_WINNER = Check(
    "completed_with_winner", BLOCKING,
    f"status is completed and the winner is a seat (or no winner with a draw reason: {', '.join(DRAW_REASONS)})",
    f"""SELECT g.game_id, g.config, g.status, g.winner, g.reason
        FROM games g
        WHERE g.status IS DISTINCT FROM 'completed'
           OR (g.winner IS NULL AND coalesce(g.reason, '') NOT IN ({_sql_list(DRAW_REASONS)}))
           OR (g.winner IS NOT NULL AND NOT list_contains({_SEATS_OF}, g.winner))""",
    per_game=True)

TOO_FEW_MOVES = Check(
    "too_few_moves", BLOCKING, f"a game has at least {MIN_MOVES} moves",
    f"""SELECT game_id, config, num_moves FROM games WHERE coalesce(num_moves, 0) < {MIN_MOVES}""",
    per_game=True)

ONE_CONFIG = Check(
    "one_config", BLOCKING,
    "a game's config matches its board and player count and seats, and its moves carry the same config",
    """SELECT g.game_id, g.config,
              'config ' || coalesce(g.config, 'NULL') || ' for ' || coalesce(g.board_type, 'NULL') || ' with '
                || coalesce(CAST(g.num_players AS VARCHAR), 'NULL') || ' players and '
                || CAST(coalesce(len(g.seats), 0) AS VARCHAR) || ' seats' AS problem
       FROM games g
       WHERE g.config IS DISTINCT FROM (g.board_type || '_' || CAST(g.num_players AS VARCHAR) || 'p')
          OR coalesce(len(g.seats), 0) IS DISTINCT FROM g.num_players
       UNION ALL
       SELECT m.game_id, g.config, 'moves under config ' || coalesce(m.config, 'NULL') AS problem
       FROM (SELECT DISTINCT game_id, config FROM moves) m JOIN games g ON g.game_id = m.game_id
       WHERE m.config IS DISTINCT FROM g.config""",
    per_game=True)

NO_ORPHAN_MOVES = Check(
    "no_orphan_moves", BLOCKING, "every moves row belongs to a game in games",
    """SELECT m.game_id, min(m.config) AS config, count(*) AS moves_rows
       FROM moves m WHERE NOT EXISTS (SELECT 1 FROM games g WHERE g.game_id = m.game_id)
       GROUP BY m.game_id""",
    per_game=True)

_BOUNDS_VALUES = ", ".join(f"('{board}', {lo}, {hi})" for board, (lo, hi) in LENGTH_BOUNDS.items())

GAME_LENGTH_BOUNDS = Check(
    "game_length_bounds", WARNING,
    "game lengths lie within board-specific bounds ("
    + "; ".join(f"{b} {lo}-{hi}" for b, (lo, hi) in LENGTH_BOUNDS.items()) + " plies)",
    f"""WITH bounds(board_type, min_moves, max_moves) AS (VALUES {_BOUNDS_VALUES})
        SELECT g.game_id, g.config, g.num_moves, b.min_moves, b.max_moves
        FROM games g JOIN bounds b ON b.board_type = g.board_type
        WHERE g.num_moves < b.min_moves OR g.num_moves > b.max_moves""",
    per_game=False)

SEAT_WIN_BALANCE = Check(
    "seat_win_balance", WARNING,
    f"with {BALANCE_MIN_GAMES}+ decided games, each seat wins between {BALANCE_LOW:g}x and "
    f"{BALANCE_HIGH:g}x its fair share (1/num_players) of a config's games",
    f"""WITH decided AS (SELECT config, num_players, winner FROM games WHERE winner IS NOT NULL),
        per_config AS (SELECT config, max(num_players) AS n, count(*) AS games
                       FROM decided GROUP BY config HAVING count(*) >= {BALANCE_MIN_GAMES}),
        seats AS (SELECT config, n, games, unnest(range(1, n + 1)) AS seat FROM per_config),
        wins AS (SELECT config, winner AS seat, count(*) AS wins FROM decided GROUP BY config, winner)
        SELECT s.config, s.seat, s.games, coalesce(w.wins, 0) AS wins,
               round(coalesce(w.wins, 0) / s.games, 4) AS win_rate, round(1.0 / s.n, 4) AS fair_share
        FROM seats s LEFT JOIN wins w ON w.config = s.config AND w.seat = s.seat
        WHERE coalesce(w.wins, 0) / s.games NOT BETWEEN {BALANCE_LOW} / s.n AND {BALANCE_HIGH} / s.n
        ORDER BY s.config, s.seat""",
    per_game=False)

CHECKS: tuple[Check, ...] = (
    UNIQUE_GAME_ID, MOVE_COUNT_MATCHES, MOVES_NUMBERED, MOVER_IS_SEAT, COMPLETED_WITH_WINNER,
    TOO_FEW_MOVES, ONE_CONFIG, NO_ORPHAN_MOVES, GAME_LENGTH_BOUNDS, SEAT_WIN_BALANCE,
)
BY_NAME: dict[str, Check] = {check.name: check for check in CHECKS}


def select(names=None) -> list[Check]:
    """The checks with these names (all when None), in their fixed order."""
    if names is None:
        return list(CHECKS)
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        raise KeyError(f"unknown checks {unknown}; checks: {', '.join(BY_NAME)}")
    return [check for check in CHECKS if check.name in set(names)]
