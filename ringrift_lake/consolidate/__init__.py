"""Consolidation: raw_games -> games + moves (validated, de-duplicated) and quarantine.

Public names: ``consolidate(lake, configs=None, workers=None) -> ConsolidateReport``,
``ConsolidateReport``, ``QUARANTINE_REASONS``; ``repair_duplicates(lake) -> RepairReport`` removes exact
duplicates left in games/moves/quarantine by runs of older versions that overlapped.
"""
from ringrift_lake.checks import CHECKS
from ringrift_lake.consolidate.repair import RepairReport, repair_duplicates
from ringrift_lake.consolidate.report import ConsolidateReport
from ringrift_lake.consolidate.run import consolidate

# Every reason a game can be quarantined with: screening and replay codes, then the blocking check names.
QUARANTINE_REASONS = (
    "schema_error", "not_finished", "duplicate_conflict", "illegal_move", "result_mismatch",
    "result_unconfirmed", "bad_search_target", *(check.name for check in CHECKS if check.quarantines),
)

__all__ = ["ConsolidateReport", "QUARANTINE_REASONS", "RepairReport", "consolidate", "repair_duplicates"]
