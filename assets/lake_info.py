"""Small read-only facts about lake tables that the assets record as metadata and the sensors watch."""
import pyarrow as pa

from ringrift_lake import tables
from ringrift_lake.location import Lake


def versions(lake: Lake, *names: str) -> dict[str, int | None]:
    """Delta version of each named table (None when it does not exist yet)."""
    return {name: tables.version(lake, name) for name in names}


def rows_per_config(lake: Lake, name: str) -> tuple[int | None, dict[str, int]]:
    """(Delta version, live row count per config) from the table's log alone (no data file is read)."""
    table = tables.open_table(lake, name)
    if table is None:
        return None, {}
    actions = pa.table(table.get_add_actions(flatten=True))
    if actions.num_rows == 0:
        return table.version(), {}
    grouped = actions.group_by("partition.config").aggregate([("num_records", "sum")])
    counts = dict(zip(grouped["partition.config"].to_pylist(), grouped["num_records_sum"].to_pylist()))
    return table.version(), {k: int(v or 0) for k, v in counts.items()}


def config_rows(lake: Lake, name: str, config: str) -> int:
    """Live rows of one config in a config-partitioned table."""
    return rows_per_config(lake, name)[1].get(config, 0)
