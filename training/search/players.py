"""Agents by name, as picklable factories (seed -> a fresh agent), for matches and worker processes.

    parse_player("heuristic") / parse_player("random")
    parse_player("gumbel64:heuristic")      # GumbelAgent, budget 64, HeuristicEvaluator, no Gumbel noise
    parse_player("policy:heuristic")        # PolicyNetAgent on the HeuristicEvaluator (the heuristic's argmax)
    AgentFactory("gumbel", 64, search=(("c_scale", 0.2),), evaluator=(("prior_temperature", 10.0),))

Networks are the integrator's: a factory only needs to be picklable and map a seed to an agent.
The heuristic evaluator is built once per process per option set.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

KINDS = ("random", "heuristic", "gumbel", "policy")


@lru_cache(maxsize=None)
def heuristic_evaluator(options: tuple = ()):
    from training.search.heuristic_eval import HeuristicEvaluator

    return HeuristicEvaluator(**dict(options))


@dataclass(frozen=True)
class AgentFactory:
    kind: str
    budget: int = 0
    search: tuple = ()          # (name, value) pairs passed to GumbelAgent / PolicyNetAgent
    evaluator: tuple = ()       # (name, value) pairs passed to HeuristicEvaluator

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown agent kind {self.kind!r}; known: {KINDS}")

    def __call__(self, seed: int):
        from engine.agents import HeuristicAgent, RandomAgent
        from training.search.agents import GumbelAgent, PolicyNetAgent

        if self.kind == "random":
            return RandomAgent(seed=seed)
        if self.kind == "heuristic":
            return HeuristicAgent(seed=seed)
        evaluator = heuristic_evaluator(self.evaluator)
        if self.kind == "policy":
            return PolicyNetAgent(evaluator, seed=seed, name=str(self), **dict(self.search))
        return GumbelAgent(evaluator, self.budget, seed=seed, name=str(self), **dict(self.search))

    def __str__(self) -> str:
        if self.kind in ("random", "heuristic"):
            return self.kind
        base = f"gumbel{self.budget}:heuristic" if self.kind == "gumbel" else "policy:heuristic"
        extra = ",".join(f"{k}={v}" for k, v in self.search + self.evaluator)
        return f"{base}[{extra}]" if extra else base


def parse_player(name: str) -> AgentFactory:
    if name in ("random", "heuristic"):
        return AgentFactory(name)
    if name == "policy:heuristic":
        return AgentFactory("policy")
    if name.startswith("gumbel") and name.endswith(":heuristic"):
        budget = name[len("gumbel"):-len(":heuristic")]
        if budget.isdigit() and int(budget) > 0:
            return AgentFactory("gumbel", int(budget))
    raise ValueError(f"unknown player {name!r}: random, heuristic, policy:heuristic or gumbel<budget>:heuristic")
