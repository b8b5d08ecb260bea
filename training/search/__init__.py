"""Gumbel AlphaZero search, evaluators, agents and a lake-free batched selfplay driver.

No dagster, deltalake or duckdb anywhere here; torch only in `network_eval` (imported on first use of
`NetworkEvaluator`). See training/search/README.md.
"""
from training.search.agents import EngineAgent, GumbelAgent, PolicyNetAgent, SyncAgent, run_decision
from training.search.driver import FinishedGame, GameSpec, play_games
from training.search.gumbel import SearchParams, SearchResult, run_search
from training.search.heuristic_eval import HeuristicEvaluator
from training.search.protocol import ConstantEvaluator, Decision, EvalRequest, Evaluation, Evaluator, SearchRecord
from training.search.stats import DriverStats

__all__ = [
    "ConstantEvaluator", "Decision", "DriverStats", "EngineAgent", "EvalRequest", "Evaluation", "Evaluator",
    "FinishedGame", "GameSpec",
    "GumbelAgent", "HeuristicEvaluator", "NetworkEvaluator", "PolicyNetAgent", "SearchParams", "SearchRecord",
    "SearchResult", "SyncAgent", "play_games", "run_decision", "run_search",
]


def __getattr__(name: str):
    if name == "NetworkEvaluator":
        from training.search.network_eval import NetworkEvaluator

        return NetworkEvaluator
    raise AttributeError(f"module 'training.search' has no attribute {name!r}")
