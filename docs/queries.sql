-- Ten analysis queries over the lake. Run one with
--   ringrift-lake sql --file docs/queries.sql --name win_rate_by_seat
-- or any of them from Python: ringrift_lake.query.named_queries(text)[name] on a query.connect(lake).
-- Every table is a view (games, moves, raw_games, quarantine, consolidations, datasets, models, matches, elo).

-- name: win_rate_by_seat
-- Share of each config's games won by each seat (draws count for no seat).
SELECT config, winner AS seat, count(*) AS wins,
       round(count(*) / sum(count(*)) OVER (PARTITION BY config), 4) AS win_rate
FROM games
WHERE winner IS NOT NULL
GROUP BY config, winner
ORDER BY config, seat;

-- name: game_length_distribution
-- Game length (plies, bookkeeping moves included) per config: spread and quartiles.
SELECT config, count(*) AS games, min(num_moves) AS shortest,
       quantile_cont(num_moves, 0.25) AS p25, median(num_moves) AS median,
       quantile_cont(num_moves, 0.75) AS p75, max(num_moves) AS longest,
       round(avg(num_moves), 1) AS mean
FROM games
GROUP BY config
ORDER BY config;

-- name: move_type_mix
-- How often each move type is played, per config, as a share of that config's moves.
-- Reads the per-game summary games.move_type_counts (a struct with one count per move type, written
-- with the moves rows); the same numbers from the moves table: SELECT config, type, count(*) FROM moves GROUP BY ALL.
WITH per_config AS (
    SELECT config, sum(COLUMNS(* EXCLUDE (config)))
    FROM (SELECT config, unnest(move_type_counts) FROM games)
    GROUP BY config
), per_type AS (
    UNPIVOT per_config ON COLUMNS(* EXCLUDE (config)) INTO NAME type VALUE moves
)
SELECT config, type, moves, round(moves / sum(moves) OVER (PARTITION BY config), 4) AS share
FROM per_type
WHERE moves > 0
ORDER BY config, moves DESC;

-- name: termination_reasons
-- How games end (victory reason) per config.
SELECT config, coalesce(reason, '(none)') AS reason, count(*) AS games,
       round(count(*) / sum(count(*)) OVER (PARTITION BY config), 4) AS share
FROM games
GROUP BY config, reason
ORDER BY config, games DESC;

-- name: quarantine_reasons
-- Rejected games by reason and source: what goes wrong, and where it comes from.
SELECT reason, coalesce(source, '(unknown)') AS source, count(*) AS games,
       count(DISTINCT config) AS configs, min(quarantined_at) AS first_seen, max(quarantined_at) AS last_seen
FROM quarantine
GROUP BY reason, source
ORDER BY games DESC;

-- name: games_per_source_and_agent
-- Consolidated games per source, and per agent within it: seats played, seats won, win rate.
WITH per_seat AS (
    SELECT source, s.agent AS agent, count(*) AS seats_played,
           count(*) FILTER (WHERE winner = s.seat) AS seats_won
    FROM (SELECT source, winner, unnest(seats) AS s FROM games)
    GROUP BY ALL
), per_source AS (
    SELECT source, count(*) AS source_games FROM games GROUP BY source
)
SELECT p.source, s.source_games, p.agent, p.seats_played, p.seats_won,
       round(p.seats_won / p.seats_played, 4) AS win_rate
FROM per_seat p JOIN per_source s ON s.source IS NOT DISTINCT FROM p.source
ORDER BY s.source_games DESC, p.seats_played DESC;

-- name: first_move_advantage
-- Seat 1's win rate against its fair share (1 / players) per config, with a normal-approximation
-- z-score: positive = the first mover wins more than fair.
SELECT config, any_value(num_players) AS players, count(*) AS decided_games,
       round(avg(CASE WHEN winner = 1 THEN 1.0 ELSE 0.0 END), 4) AS seat1_win_rate,
       round(1.0 / any_value(num_players), 4) AS fair_share,
       round((avg(CASE WHEN winner = 1 THEN 1.0 ELSE 0.0 END) - 1.0 / any_value(num_players))
             / sqrt((1.0 / any_value(num_players)) * (1 - 1.0 / any_value(num_players)) / count(*)), 2) AS z
FROM games
WHERE winner IS NOT NULL
GROUP BY config
ORDER BY config;

-- name: placement_count_mix
-- Rings placed per place_ring move (1-3), per config, from games.placement_counts
-- (the moves-table equivalent: WHERE type = 'place_ring' GROUP BY config, count).
SELECT config, k AS rings_placed, sum(placement_counts[k]) AS placements,
       round(sum(placement_counts[k]) / sum(sum(placement_counts[k])) OVER (PARTITION BY config), 4) AS share
FROM games, range(1, 4) AS r(k)
GROUP BY config, k
ORDER BY config, rings_placed;

-- name: game_length_over_ingest
-- Average game length per config in ten equal slices of its ingest_seq range (are games getting
-- longer or shorter as training goes on?).
WITH bounds AS (SELECT config, min(ingest_seq) AS lo, max(ingest_seq) AS hi FROM games GROUP BY config)
SELECT g.config, CAST(floor((g.ingest_seq - b.lo) * 10.0 / (b.hi - b.lo + 1)) AS INTEGER) + 1 AS bucket,
       count(*) AS games, min(g.ingest_seq) AS from_seq, max(g.ingest_seq) AS to_seq,
       round(avg(g.num_moves), 1) AS mean_length
FROM games g JOIN bounds b ON b.config = g.config
GROUP BY ALL
ORDER BY g.config, bucket;

-- name: elo_leaderboard
-- The latest Elo snapshot per config: ratings with standard errors, best first.
WITH latest AS (
    SELECT config, arg_max(snapshot_id, computed_at) AS snapshot_id FROM elo GROUP BY config
)
SELECT e.config, e.player_id, round(e.rating, 1) AS rating, round(e.stderr, 1) AS stderr,
       e.games, e.wins, e.computed_at,
       rank() OVER (PARTITION BY e.config ORDER BY e.rating DESC) AS rank
FROM elo e JOIN latest l ON l.config = e.config AND l.snapshot_id = e.snapshot_id
ORDER BY e.config, rank;
