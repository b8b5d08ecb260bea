"""Where a config's next network starts: automatic transfer from the same board's 2-player champion.

    init = transfer_source(lake, "hexagonal_3p")    # "hexagonal_2p-2026..." or None

A 3- or 4-player config that has no network champion of its own yet starts its networks from the
same board's 2-player network champion (trunk and policy head as they are, the value head resized:
`training.transfer`); the model records it as its parent. A config with a network champion, a
2-player config, or a board whose 2-player config has no network champion yet trains from scratch
(None). The encoder and the action space depend on the board only, so nothing else must match.
"""
from __future__ import annotations

from engine import parse_config
from ringrift_lake.location import Lake
from ringrift_lake.players import BUILTIN_AGENTS
from ringrift_lake.promotion.registry import current_champion


def network_champion(lake: Lake, config: str) -> str | None:
    """The model id of the config's champion when it is a network (not a built-in agent)."""
    row = current_champion(lake, config)
    if row is None or row["model_id"].partition("@")[0] in BUILTIN_AGENTS or not row["checkpoint_uri"]:
        return None
    return row["model_id"]


def transfer_source(lake: Lake, config: str) -> str | None:
    """The model a new network of `config` starts from (module docstring), or None."""
    cfg = parse_config(config)
    if cfg.num_players == 2 or network_champion(lake, config) is not None:
        return None
    return network_champion(lake, f"{cfg.board_type}_2p")
