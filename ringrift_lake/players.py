"""Players: one spelling everywhere a player is named (CLI, gauntlets, matches, Elo, the registry).

    random | heuristic | lookahead     the engine's built-in agents
    model:<model id | path.safetensors> a network's raw policy
    champion                           the config's current champion (resolved against the lake)
    gumbel<budget>:<evaluator>         Gumbel search with `budget` simulations per move, the evaluator being
                                       heuristic | model:<...> | champion      (gumbel64:champion, gumbel16:heuristic)

    spec = parse_player("gumbel64:model:sq8-2026...")
    spec.player_id == "gumbel64:model:sq8-2026..."; spec.algorithm == "gumbel"; spec.model_id == "sq8-2026..."

A player id is the canonical spec string of a player whose model is known (`champion` resolved, a
checkpoint path replaced by its model id): the same network as `model:<id>`, `gumbel16:model:<id>` and
`gumbel64:model:<id>` is three participants in `matches` and `elo`, so the leaderboard shows what search
adds. The built-in agents can be promoted like a model, so a config has the heuristic as its champion
before any network exists; their `models` row is named `<agent>@<config>` (`registry_model_id`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from engine.agents import AGENTS_BY_NAME

BUILTIN_AGENTS = tuple(AGENTS_BY_NAME)      # random, heuristic, lookahead
MODEL_PREFIX = "model:"
CHAMPION = "champion"
_GUMBEL = re.compile(r"gumbel(\d+):(.+)")
VALID_FORMS = (*BUILTIN_AGENTS, "model:<model id or path to a .safetensors checkpoint>", "champion",
               "gumbel<budget>:<heuristic | model:<...> | champion>")


@dataclass(frozen=True)
class PlayerSpec:
    base: str                  # random | heuristic | champion | model:<ref>
    budget: int | None = None  # Gumbel search simulations per move; None: no search

    @property
    def player_id(self) -> str:
        return self.base if self.budget is None else f"gumbel{self.budget}:{self.base}"

    @property
    def algorithm(self) -> str:
        """random | heuristic | policy (a network's raw policy) | gumbel."""
        if self.budget is not None:
            return "gumbel"
        return "policy" if self.base.startswith(MODEL_PREFIX) else self.base

    @property
    def model_ref(self) -> str | None:
        """The model id or checkpoint path behind a network player, else None."""
        return self.base[len(MODEL_PREFIX):] if self.base.startswith(MODEL_PREFIX) else None

    @property
    def model_id(self) -> str | None:
        """The model id of a resolved network player (a checkpoint path is not an id)."""
        ref = self.model_ref
        return None if ref is None or is_checkpoint_path(ref) else ref

    @property
    def needs_network(self) -> bool:
        return self.model_ref is not None

    @property
    def needs_champion(self) -> bool:
        return self.base == CHAMPION

    @property
    def is_builtin(self) -> bool:
        return self.budget is None and self.base in BUILTIN_AGENTS

    def with_base(self, base: str) -> "PlayerSpec":
        """The same search over another evaluator (`champion` resolved, a path replaced by its id)."""
        return parse_player(base if self.budget is None else f"gumbel{self.budget}:{base}")

    def with_budget(self, budget: int | None) -> "PlayerSpec":
        return replace(self, budget=budget)

    def __str__(self) -> str:
        return self.player_id


def is_checkpoint_path(ref: str) -> bool:
    return ref.endswith(".safetensors") or "/" in ref


def parse_player(text: str) -> PlayerSpec:
    """The spec of a player string; ValueError listing the valid forms otherwise."""
    text = (text or "").strip()
    match = _GUMBEL.fullmatch(text)
    budget = None
    if match:
        budget, base = int(match.group(1)), match.group(2)
        if budget < 1:
            raise ValueError(f"player {text!r}: the search budget must be at least 1")
        if base in BUILTIN_AGENTS and base != "heuristic":     # the one built-in with a search evaluator
            raise ValueError(f"player {text!r}: search needs an evaluator (heuristic, model:<...> or champion)")
    else:
        base = text
    if base in BUILTIN_AGENTS or base == CHAMPION or (base.startswith(MODEL_PREFIX) and len(base) > len(MODEL_PREFIX)):
        return PlayerSpec(base, budget)
    raise ValueError(f"unknown player {text!r}; valid forms: {', '.join(VALID_FORMS)}")


def player_id(text: str) -> str:
    """The canonical id of a player string; a bare model id (the CLI's `--model ID`) means `model:<id>`."""
    if text and not _GUMBEL.fullmatch(text) and text not in BUILTIN_AGENTS and text != CHAMPION \
            and not text.startswith(MODEL_PREFIX):
        text = MODEL_PREFIX + text
    return parse_player(text).player_id


def registry_model_id(player: str, config: str) -> str:
    """The `models.model_id` of a promotable player: the model id itself, or `<agent>@<config>` for a
    built-in agent."""
    spec = parse_player(player_id(player))
    if spec.budget is not None or spec.needs_champion:
        raise ValueError(f"{player!r} is not a model or built-in agent; only those are registered")
    return f"{spec.base}@{config}" if spec.is_builtin else spec.model_id


def player_id_of_registry(model_id: str) -> str:
    """The player id of a `models` row: `heuristic@square8_2p` -> `heuristic`, `abc` -> `model:abc`."""
    agent, sep, _ = model_id.partition("@")
    return agent if sep and agent in BUILTIN_AGENTS else MODEL_PREFIX + model_id


def seat_identity(player: str) -> dict:
    """The identity of a seat in `raw_games.seats`: agent (the algorithm), model id, player id, budget."""
    spec = parse_player(player)
    return {"agent": spec.algorithm, "model_id": spec.model_id, "player_id": spec.player_id,
            "budget": spec.budget}
