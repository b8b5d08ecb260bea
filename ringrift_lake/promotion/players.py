"""Player ids (as in `matches.players`) and how they map to `models` rows.

A player id is `random`, `heuristic` (the engine's built-in agents) or
`model:<model_id>`. The built-in agents can be evaluated and promoted like a
model, so a config can have the heuristic agent as its champion before any
network exists; their `models` row is named `<agent>@<config>` because
`model_id` is the registry's key across all configs.
"""
from __future__ import annotations

BUILTIN_AGENTS = ("random", "heuristic")
MODEL_PREFIX = "model:"


def is_builtin(model_id: str) -> bool:
    return model_id in BUILTIN_AGENTS


def player_id(model_id: str) -> str:
    """The player id of a candidate named on the command line (`heuristic`, `random` or a model id)."""
    if model_id.startswith(MODEL_PREFIX):
        return model_id
    return model_id if is_builtin(model_id) else MODEL_PREFIX + model_id


def registry_model_id(model_id: str, config: str) -> str:
    """The `models.model_id` of a candidate: the model id itself, or `<agent>@<config>` for a built-in agent."""
    if model_id.startswith(MODEL_PREFIX):
        model_id = model_id[len(MODEL_PREFIX):]
    return f"{model_id}@{config}" if is_builtin(model_id) else model_id


def player_id_of_registry(model_id: str) -> str:
    """The player id of a `models` row: `heuristic@square8_2p` -> `heuristic`, `abc` -> `model:abc`."""
    agent, sep, _ = model_id.partition("@")
    return agent if sep and is_builtin(agent) else MODEL_PREFIX + model_id
