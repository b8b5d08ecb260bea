"""Which candidate an evaluation is about: the one named in the run, else the config's newest waiting one."""
from ringrift_lake.location import Lake


def waiting_candidates(lake: Lake, config: str | None = None) -> list[dict]:
    """Registry rows still `candidate` with no decision, oldest first (every config when config is None)."""
    import pyarrow.compute as pc

    from ringrift_lake import tables

    wanted = (pc.field("status") == "candidate") & pc.field("decision").is_null()
    if config is not None:
        wanted = wanted & (pc.field("config") == config)
    rows = tables.read(lake, "models", columns=["model_id", "config", "dataset_id", "created_at"],
                       filter=wanted).to_pylist()
    return sorted(rows, key=lambda r: r["created_at"])


def resolve_candidate(lake: Lake, config: str, model_id: str) -> str:
    if model_id:
        return model_id
    waiting = waiting_candidates(lake, config)
    if not waiting:
        raise LookupError(f"{config}: no candidate waits for evaluation; train one first (candidate_model)")
    return waiting[-1]["model_id"]
