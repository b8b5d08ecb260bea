"""IllegalMoveError: a move outside the legal set, with the rule it breaks and the offending field."""
from __future__ import annotations


class IllegalMoveError(ValueError):
    def __init__(self, rule: str, field: str | None, message: str):
        super().__init__(f"{rule}: {message}" + (f" (field {field!r})" if field else ""))
        self.rule = rule
        self.field = field
        self.message = message
