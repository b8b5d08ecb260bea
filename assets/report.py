"""Plain-text summaries the demo prints: lake tables of a config, and its Elo leaderboard."""
from tabulate import tabulate

from assets.lake_info import rows_per_config
from ringrift_lake import tables
from ringrift_lake.schemas import TABLES


def tables_text(lake, config: str) -> str:
    """Each lake table's Delta version and its rows of this config (config-partitioned tables from the log)."""
    rows = []
    for name, spec in TABLES.items():
        if "config" in spec.partition_by:
            version, counts = rows_per_config(lake, name)
            count = counts.get(config, 0)
        else:
            version = tables.version(lake, name)
            column = tables.read(lake, name, columns=["config"])["config"] if "config" in spec.schema.names else None
            count = sum(1 for c in column.to_pylist() if c == config) if column is not None else "-"
        rows.append((name, "-" if version is None else f"v{version}", count, lake.table_uri(name)))
    return f"Lake tables ({config}):\n" + tabulate(rows, headers=["table", "version", f"{config} rows", "uri"])


def leaderboard_text(lake, config: str) -> str:
    from ringrift_lake.elo.report import leaderboard_markdown
    from ringrift_lake.elo.snapshot import elo_history, latest_rows
    from ringrift_lake.players import player_id_of_registry
    from ringrift_lake.promotion.registry import current_champion

    rows = latest_rows(elo_history(lake, config))
    if not rows:
        return f"No Elo ratings for {config} yet."
    champ = current_champion(lake, config)
    champion = player_id_of_registry(champ["model_id"]) if champ else None
    head = f"Elo leaderboard, {config} (champion: {champion or 'none'}):"
    return head + "\n" + leaderboard_markdown(rows, champion)
