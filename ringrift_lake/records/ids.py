"""Game ids and game seeds: one scheme for every game producer (selfplay, gauntlets, matches).

    game_id("square8_2p", "selfplay", 0x2a, 17) == "square8_2p-selfplay-2a-17"
    game_seed("square8_2p", "selfplay", 0x2a, 17)  -> a 63-bit seed hashed from the same four values

A run is named by its config, source and run seed; its games by their index in the run. Both the id
and the seed depend on nothing else (not on the worker that plays a game nor on how many workers
there are), so a rerun with the same run seed finds its games by id and adds nothing new.
"""
from __future__ import annotations

import hashlib
import secrets

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake


HELDOUT_SOURCE = "heldout"   # raw_games.source of the fixed evaluation games: never in a training window


def run_prefix(config: str, source: str, run_seed: int) -> str:
    return f"{config}-{source}-{run_seed:x}-"


def game_id(config: str, source: str, run_seed: int, index: int) -> str:
    return f"{run_prefix(config, source, run_seed)}{index}"


def game_seed(config: str, source: str, run_seed: int, index: int) -> int:
    digest = hashlib.blake2b(f"{config}:{source}:{run_seed}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def present_ids(lake: Lake, table: str, config: str, prefix: str, column: str = "game_id") -> set[str]:
    """Ids starting with `prefix` already in `table` (its config partition only)."""
    expr = (pc.field("config") == config) & pc.starts_with(pc.field(column), prefix)
    return set(tables.read(lake, table, columns=[column], filter=expr).column(column).to_pylist())


def run_seed_for(seed: int | None, players) -> int:
    """The run seed of a run of `players` (player id per seat, or the players of a match): a random
    48-bit seed without `seed`; with one, a hash of the seed and the players, so the same seed with
    other players (a new champion, another opponent) is another run, and the same seed and players
    the same run (a rerun, which adds nothing)."""
    if seed is None:
        return secrets.randbits(48)
    digest = hashlib.blake2b(f"{seed}:{','.join(players)}".encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")
