"""Plain-text summaries the demo prints: lake tables of a config, and its Elo leaderboard."""
from tabulate import tabulate

from assets.lake_info import rows_per_config
from ringrift_lake import tables
from ringrift_lake.schemas import TABLES


def tables_text(lake, config: str) -> str:
    rows = []
    for name, spec in TABLES.items():
        version, counts = rows_per_config(lake, name) if "config" in spec.partition_by else (None, {})
        if "config" not in spec.partition_by:
            version = tables.version(lake, name)
            data = tables.read(lake, name, columns=["config"])
            counts = {config: sum(1 for c in data["config"].to_pylist() if c == config)}
        rows.append((name, "-" if version is None else f"v{version}", counts.get(config, 0),
                     lake.table_uri(name)))
    return f"Lake tables ({config}):\n" + tabulate(rows, headers=["table", "version", f"{config} rows", "uri"])


def leaderboard_text(lake, config: str) -> str:
    from ringrift_lake.elo.report import leaderboard_markdown
    from ringrift_lake.elo.snapshot import elo_history, latest_rows
    from ringrift_lake.promotion.players import player_id_of_registry
    from ringrift_lake.promotion.registry import current_champion

    rows = latest_rows(elo_history(lake, config))
    if not rows:
        return f"No Elo ratings for {config} yet."
    champ = current_champion(lake, config)
    champion = player_id_of_registry(champ["model_id"]) if champ else None
    head = f"Elo leaderboard, {config} (champion: {champion or 'none'}):"
    return head + "\n" + leaderboard_markdown(rows, champion)
