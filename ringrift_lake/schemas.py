"""Every lake table's schema, in one module.

``SCHEMA_VERSION`` is bumped whenever a table changes shape; writers stamp
rows with it where a table carries a ``schema_version`` column. ``TABLES``
maps a table name to its ``TableSpec`` (schema, partition columns, key).
Times are UTC microseconds. Structured, rarely-queried payloads (move JSON,
manifests, metrics) are JSON strings so they round-trip exactly.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = 2   # 2: seats carry player_id and budget; per-ply typed search columns

TS = pa.timestamp("us", tz="UTC")

SEAT = pa.struct([
    ("seat", pa.int8()),          # 1-based seat number
    ("agent", pa.string()),       # the algorithm: random | heuristic | policy | gumbel | legacy:<ai_type> | reference
    ("model_id", pa.string()),    # null unless a network played this seat (raw or as the search's evaluator)
    ("player_id", pa.string()),   # the player spec (ringrift_lake.players), e.g. gumbel64:model:<id>; null on imports
    ("budget", pa.int32()),       # search simulations per move; null without search
])

# What a search decided at one ply (null for a ply played without search: a single legal move, a built-in
# agent, a raw policy). The improved-policy target lists (policy index, probability) over the legal moves,
# indices ascending; visit counts are aligned with them; root values are per seat in absolute seat order.
SEARCH = pa.struct([
    ("policy_index", pa.list_(pa.int32())),
    ("policy_prob", pa.list_(pa.float32())),
    ("visit_count", pa.list_(pa.int32())),
    ("root_value", pa.list_(pa.float32())),
    ("budget", pa.int32()),       # simulations this search ran
    ("full", pa.bool_()),         # a full search (a policy target); False: a cheap one (playout-cap randomisation)
])

# One complete game per row; appended by selfplay, gauntlets and imports.
RAW_GAMES = pa.schema([
    ("game_id", pa.string()),
    ("config", pa.string()),              # square8_2p ... hexagonal_4p (partition)
    ("board_type", pa.string()),
    ("num_players", pa.int8()),
    ("seats", pa.list_(SEAT)),
    ("source", pa.string()),              # selfplay | gauntlet | import:reference | import:legacy
    ("validation_mode", pa.string()),     # strict (our games) | legacy (old-system imports)
    ("seed", pa.int64()),
    ("engine_version", pa.string()),
    ("rules_version", pa.string()),
    ("rules_options", pa.string()),       # JSON object, reference rulesOptions keys
    ("started_at", TS),
    ("finished_at", TS),
    ("status", pa.string()),              # completed | ...
    ("winner", pa.int8()),                # null for no winner
    ("reason", pa.string()),              # victory reason code
    ("num_moves", pa.int32()),
    ("moves", pa.list_(pa.string())),     # exact move JSON per ply (reference format)
    ("visits", pa.list_(pa.string())),    # legacy (schema 1): per-ply sparse search visits JSON {"index": count}
    ("search", pa.list_(SEARCH)),         # per ply: what the search decided (null entries: no search there)
    ("writer_id", pa.string()),           # host/pid/worker that committed the batch
    ("batch_id", pa.string()),
    ("schema_version", pa.int16()),
])

# The engine's move types (engine.moves.MOVE_TYPES), one field each in games.move_type_counts;
# "other" counts any type added to the engine later, until it gets its own field.
MOVE_TYPE_FIELDS = (
    "place_ring", "skip_placement", "no_placement_action", "swap_sides",
    "move_stack", "overtaking_capture", "continue_capture_segment", "skip_capture", "no_movement_action",
    "recovery_slide", "skip_recovery", "process_line", "choose_line_option", "no_line_action",
    "eliminate_rings_from_stack", "choose_territory_option", "skip_territory_processing", "no_territory_action",
    "forced_elimination", "resign", "timeout", "other",
)

# Consolidated, validated games: unique game_id.
GAMES = pa.schema([
    ("game_id", pa.string()),
    ("config", pa.string()),
    ("board_type", pa.string()),
    ("num_players", pa.int8()),
    ("seats", pa.list_(SEAT)),
    ("source", pa.string()),
    ("validation_mode", pa.string()),
    ("seed", pa.int64()),
    ("engine_version", pa.string()),
    ("rules_version", pa.string()),
    ("rules_options", pa.string()),
    ("started_at", TS),
    ("finished_at", TS),
    ("status", pa.string()),
    ("winner", pa.int8()),
    ("reason", pa.string()),
    ("num_moves", pa.int32()),
    ("ingest_seq", pa.int64()),           # strictly increasing per table; training windows use it
    ("raw_version", pa.int64()),          # raw_games Delta version the game was read from
    ("consolidated_at", TS),
    ("content_hash", pa.int64()),         # hash of config, rules options, moves and result: a re-ingested
                                          # copy matches it, a conflicting game with the same id does not
    # Per-game summaries of its moves rows (written with them), so mix queries over millions of
    # games read one row per game instead of one per move: moves per type (a struct: flat columns
    # in Parquet), and place_ring moves placing 1, 2 and 3 rings.
    ("move_type_counts", pa.struct([(t, pa.int32()) for t in MOVE_TYPE_FIELDS])),
    ("placement_counts", pa.list_(pa.int32())),
])

# One row per move of a consolidated game.
MOVES = pa.schema([
    ("config", pa.string()),
    ("game_id", pa.string()),
    ("ply", pa.int32()),                  # 1..num_moves
    ("type", pa.string()),
    ("player", pa.int8()),
    ("from_key", pa.string()),            # "x,y" / "x,y,z" or null
    ("to_key", pa.string()),
    ("target_key", pa.string()),
    ("count", pa.int8()),                 # placement count, null otherwise
    ("move_json", pa.string()),           # exact move JSON
    ("visits_json", pa.string()),         # legacy (schema 1): sparse search visits JSON
    ("search", SEARCH),                   # what the search decided at this ply (null: no search)
])

QUARANTINE = pa.schema([
    ("game_id", pa.string()),             # may be synthetic when the record had none
    ("config", pa.string()),              # "unknown" when unreadable
    ("reason", pa.string()),              # reason code, e.g. illegal_move, result_mismatch, schema_error
    ("ply", pa.int32()),                  # offending move, null when not move-specific
    ("detail", pa.string()),
    ("source", pa.string()),
    ("raw_version", pa.int64()),
    ("quarantined_at", TS),
    ("payload", pa.string()),             # the raw row / record as JSON
])

# One row per consolidation run and config scope ("*" = raw rows whose config is no known config);
# the largest raw_version of a scope is its watermark: raw_games up to it has been consolidated.
CONSOLIDATIONS = pa.schema([
    ("run_id", pa.string()),
    ("config", pa.string()),
    ("raw_version", pa.int64()),          # raw_games version read (inclusive)
    ("games_version", pa.int64()),        # games / moves versions once the run had committed
    ("moves_version", pa.int64()),
    ("games_added", pa.int64()),
    ("moves_added", pa.int64()),
    ("quarantined", pa.int64()),
    ("duplicates_skipped", pa.int64()),
    ("started_at", TS),
    ("finished_at", TS),
])

DATASETS = pa.schema([
    ("dataset_id", pa.string()),
    ("config", pa.string()),
    ("encoder_version", pa.string()),
    ("source_versions", pa.string()),     # JSON {table: delta version}
    ("window", pa.string()),              # JSON: selection and bounds
    ("min_ingest_seq", pa.int64()),
    ("max_ingest_seq", pa.int64()),
    ("game_count", pa.int64()),
    ("sample_count", pa.int64()),
    ("shards", pa.string()),              # JSON [{uri, sha256, samples}]
    ("created_at", TS),
])

MODELS = pa.schema([
    ("model_id", pa.string()),
    ("config", pa.string()),
    ("status", pa.string()),              # candidate | champion | retired | rejected
    ("architecture", pa.string()),        # JSON
    ("encoder_version", pa.string()),
    ("parent_model_id", pa.string()),
    ("generation", pa.int32()),           # the generation loop's number (0 = bootstrap); null outside it
    ("dataset_id", pa.string()),
    ("checkpoint_uri", pa.string()),
    ("sha256", pa.string()),
    ("metrics", pa.string()),             # JSON
    ("decision", pa.string()),            # JSON: promotion decision and its numbers
    ("created_at", TS),
    ("updated_at", TS),
])

MATCHES = pa.schema([
    ("match_id", pa.string()),
    ("config", pa.string()),
    ("game_id", pa.string()),
    ("players", pa.list_(pa.string())),   # player id per seat (ringrift_lake.players): heuristic, gumbel64:model:<id>
    ("winner", pa.int8()),
    ("winner_player", pa.string()),
    ("ranks", pa.list_(pa.int8())),       # rank per seat, 1 = best
    ("reason", pa.string()),
    ("num_moves", pa.int32()),
    ("gauntlet_id", pa.string()),
    ("created_at", TS),
])

ELO = pa.schema([
    ("config", pa.string()),
    ("player_id", pa.string()),
    ("rating", pa.float64()),
    ("stderr", pa.float64()),
    ("games", pa.int64()),
    ("wins", pa.float64()),
    ("matches_version", pa.int64()),
    ("snapshot_id", pa.string()),
    ("computed_at", TS),
])


# One row per config of each allocation the selfplay scheduler decides (ringrift_lake.fleet.allocation):
# every config's share of the selfplay compute, and why.
ALLOCATIONS = pa.schema([
    ("allocation_id", pa.string()),       # the decision's id: all its rows share it
    ("config", pa.string()),
    ("share", pa.float64()),              # share of the fleet's selfplay time (sums to 1; >= floor)
    ("batch_share", pa.float64()),        # share of selfplay batches (share / board cost, normalised)
    ("priority", pa.float64()),           # the rule's score before the board cost and the floor
    ("reasons", pa.string()),             # human-readable: the terms that made the share
    ("terms", pa.string()),               # JSON: the lake facts and every term of the rule
    ("rule", pa.string()),                # JSON: the weights the rule ran with
    ("created_at", TS),
])

# One row per heartbeat of a fleet worker (ringrift-lake worker); the newest row per worker is its state.
WORKERS = pa.schema([
    ("worker_id", pa.string()),           # host/pid (or the --name given)
    ("host", pa.string()),
    ("pid", pa.int64()),
    ("configs", pa.list_(pa.string())),   # the configs it may play (empty: every config)
    ("config", pa.string()),              # the config of its latest batch
    ("player", pa.string()),              # the player id of its latest batch (gumbel64:model:<id> ...)
    ("model_id", pa.string()),            # the network it plays (null: no network)
    ("status", pa.string()),              # running | stopped
    ("games_committed", pa.int64()),      # since it started
    ("batches_committed", pa.int64()),
    ("games_per_s", pa.float64()),        # games committed per second since it started
    ("commit_retries", pa.int64()),       # commit conflicts it retried
    ("detail", pa.string()),              # e.g. why it stopped
    ("started_at", TS),
    ("last_seen", TS),
])

# One row per generation of the generation loop (training.generations): what it played, trained and measured.
GENERATIONS = pa.schema([
    ("config", pa.string()),
    ("generation", pa.int32()),
    ("run_id", pa.string()),              # the loop run (one `ringrift-lake loop` or the Dagster loop)
    ("model_id", pa.string()),            # the candidate trained this generation
    ("parent_model_id", pa.string()),     # the champion it started from (null: a fresh network)
    ("promoted", pa.bool_()),
    ("champion", pa.string()),            # registry id of the champion after the generation
    ("selfplay_player", pa.string()),
    ("selfplay_games", pa.int64()),
    ("selfplay_games_per_s", pa.float64()),
    ("selfplay_evals_per_s", pa.float64()),
    ("dataset_id", pa.string()),
    ("window_samples", pa.int64()),       # samples in the training window
    ("new_samples", pa.int64()),          # samples generated since the previous training
    ("samples_trained", pa.int64()),      # samples drawn by the optimizer
    ("reuse_ratio", pa.float64()),        # samples_trained / new_samples (capped by the window rule)
    ("resign_threshold", pa.float64()),   # the threshold this generation's selfplay used
    ("resign_fp_rate", pa.float64()),     # measured on its no-resign games
    ("resign_fp_games", pa.int64()),      # would-be resignations it was measured on
    ("resigned_games", pa.int64()),
    ("heldout", pa.string()),             # JSON: policy_loss, top1, value_mse, positions of the candidate
    ("results", pa.string()),             # JSON: head-to-head per opponent (search and raw policy)
    ("elo", pa.string()),                 # JSON: rating and stderr of the candidate as search and raw policy
    ("stage_seconds", pa.string()),       # JSON: wall seconds per stage
    ("created_at", TS),
])



@dataclass(frozen=True)
class TableSpec:
    name: str
    schema: pa.Schema
    partition_by: tuple[str, ...]
    key: tuple[str, ...]


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("raw_games", RAW_GAMES, ("config",), ("game_id",)),
        TableSpec("games", GAMES, ("config",), ("game_id",)),
        TableSpec("moves", MOVES, ("config",), ("game_id", "ply")),
        TableSpec("quarantine", QUARANTINE, ("config",), ("game_id", "reason")),
        TableSpec("consolidations", CONSOLIDATIONS, (), ("run_id", "config")),
        TableSpec("datasets", DATASETS, (), ("dataset_id",)),
        TableSpec("models", MODELS, (), ("model_id",)),
        TableSpec("matches", MATCHES, ("config",), ("match_id",)),
        TableSpec("elo", ELO, (), ("config", "player_id", "snapshot_id")),
        TableSpec("generations", GENERATIONS, (), ("config", "run_id", "generation")),
        TableSpec("allocations", ALLOCATIONS, (), ("allocation_id", "config")),
        TableSpec("workers", WORKERS, (), ("worker_id", "last_seen")),
    )
}


def spec(name: str) -> TableSpec:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown lake table {name!r}; tables: {', '.join(TABLES)}") from None
