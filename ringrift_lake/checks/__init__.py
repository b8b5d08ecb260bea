"""Quality checks: each one SQL query over ``games``/``moves`` that returns the offending rows.

Public names: ``Check``, ``CHECKS``, ``BY_NAME``, ``BLOCKING``, ``WARNING``,
``CheckResult``, ``run_checks(lake, names=None, versions=None)``,
``run_on(con, names=None)``, ``offending_games(con, names=None)``.
"""
from ringrift_lake.checks.definitions import BLOCKING, BY_NAME, CHECKS, WARNING, Check, select
from ringrift_lake.checks.runner import CheckResult, offending_games, run_check, run_checks, run_on

__all__ = ["BLOCKING", "BY_NAME", "CHECKS", "WARNING", "Check", "CheckResult", "offending_games",
           "run_check", "run_checks", "run_on", "select"]
