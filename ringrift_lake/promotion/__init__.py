"""Promotion: the decision rule over `matches` and the one-champion-per-config status change in `models`."""
from ringrift_lake.promotion.decision import DEFAULT_MIN_GAMES, Decision, PromotionRules, decide
from ringrift_lake.promotion.registry import (PromotionConflict, PromotionResult, current_champion, promote,
                                              resolve_champion)

__all__ = ["DEFAULT_MIN_GAMES", "Decision", "PromotionRules", "decide", "PromotionConflict", "PromotionResult",
           "current_champion", "promote", "resolve_champion"]
