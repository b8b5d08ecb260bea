"""Promotion: the decision rule over `matches` and the one-champion-per-config status change in `models`."""
from ringrift_lake.promotion.decision import DEFAULT_MIN_GAMES, Decision, PromotionRules, decide
from ringrift_lake.promotion.players import BUILTIN_AGENTS, player_id, player_id_of_registry, registry_model_id
from ringrift_lake.promotion.registry import PromotionConflict, PromotionResult, current_champion, promote

__all__ = ["DEFAULT_MIN_GAMES", "Decision", "PromotionRules", "decide", "BUILTIN_AGENTS", "player_id",
           "player_id_of_registry", "registry_model_id", "PromotionConflict", "PromotionResult",
           "current_champion", "promote"]
