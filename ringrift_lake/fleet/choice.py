"""What a fleet worker (or a scheduled Dagster batch) plays next: which config, and with which player.

    config = draw_config(latest_allocation(lake), ["square8_2p", "hex8_2p"], rng)
    player = selfplay_player(lake, config, "gumbel64:champion")   # "gumbel64:model:<id>" | fallback

`draw_config` draws from the allocation's batch shares, restricted to the configs the worker may play
(all of them when it names none); a config missing from the allocation (or no allocation yet) counts
as the smallest share present (equal shares when there is none), so a new worker never idles.
`selfplay_player` resolves `champion` in the player template to the config's current champion; a
config without a champion (or whose champion cannot drive a search, `random`) plays `fallback`.
"""
from __future__ import annotations

import random

from engine import CONFIGS
from ringrift_lake.location import Lake
from ringrift_lake.players import parse_player, player_id_of_registry
from ringrift_lake.promotion.registry import current_champion


def config_weights(allocation: dict[str, dict], configs: list[str] | None) -> dict[str, float]:
    """config -> weight of drawing it for the next batch (module docstring)."""
    pool = list(configs) if configs else list(CONFIGS)
    shares = {c: float(allocation[c]["batch_share"]) for c in pool if c in allocation}
    fill = min(shares.values()) if shares else 1.0
    return {c: shares.get(c, fill) or 1e-9 for c in pool}


def draw_config(allocation: dict[str, dict], configs: list[str] | None, rng: random.Random) -> str:
    weights = config_weights(allocation, configs)
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def selfplay_player(lake: Lake, config: str, template: str, fallback: str = "heuristic") -> str:
    """The concrete player id a batch of `config` plays (module docstring)."""
    spec = parse_player(template)
    if not spec.needs_champion:
        return spec.player_id
    row = current_champion(lake, config)
    if row is None:
        return parse_player(fallback).player_id
    champion = player_id_of_registry(row["model_id"])
    if spec.budget is not None and champion == "random":
        return parse_player(fallback).player_id
    return spec.with_base(champion).player_id
