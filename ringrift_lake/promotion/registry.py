"""Status changes in the `models` registry, one transaction per decision.

`promote` reads the config's `models` rows at Delta version v and the config's
matches, decides (see `decision`), and writes every row of the config back
in one commit (an overwrite with predicate `config = '<config>'`) that may
only become version v + 1: the commit is attempted with delta-rs'
`max_commit_retries=0` on the table as read, so if anyone committed to
`models` in between, the commit fails instead of being rebased onto the
newer state. On that conflict everything is re-read and re-decided after a
jittered backoff. Every decision is therefore made on the state it
replaces, which keeps exactly one champion per config even when promotions
race (and a promotion racing a new candidate row just retries).
"""
from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import pyarrow.compute as pc
from deltalake import CommitProperties, write_deltalake
from deltalake.exceptions import CommitFailedError

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.promotion.decision import Decision, PromotionRules, decide
from ringrift_lake.players import PlayerSpec, parse_player, player_id, player_id_of_registry, registry_model_id

_CONFIG_NAME = re.compile(r"^[a-z0-9]+_[234]p$")


class PromotionConflict(RuntimeError):
    """Every attempt lost the race to another commit on `models`."""


@dataclass(frozen=True)
class PromotionResult:
    model_id: str                  # registry id of the candidate
    status: str                    # its status after the decision
    decision: Decision
    previous_champion: str | None  # registry id of the champion before the decision
    champion: str | None           # registry id of the champion after it
    models_version: int            # the `models` version written (or read, when nothing changed)
    matches_version: int | None
    attempts: int


def _now() -> datetime:
    return datetime.now(timezone.utc)


def config_rows(lake: Lake, config: str, version: int | None = None) -> list[dict]:
    return tables.read(lake, "models", filter=pc.field("config") == config, version=version).to_pylist()


def resolve_champion(lake: Lake, config: str, spec: PlayerSpec) -> PlayerSpec:
    """`champion` (also as a search's evaluator) replaced by the config's champion player; other specs as
    they are. LookupError when the config has no champion yet."""
    if not spec.needs_champion:
        return spec
    row = current_champion(lake, config)
    if row is None:
        raise LookupError(f"{config} has no champion yet: promote one (ringrift-lake promote, or the evaluate job)")
    return spec.with_base(player_id_of_registry(row["model_id"]))


def current_champion(lake: Lake, config: str) -> dict | None:
    """The config's champion row, or None."""
    champions = [r for r in config_rows(lake, config) if r["status"] == "champion"]
    if len(champions) > 1:
        raise RuntimeError(f"{config} has {len(champions)} champions: {[r['model_id'] for r in champions]}")
    return champions[0] if champions else None


def config_matches(lake: Lake, config: str) -> tuple[list[dict], int | None]:
    """The config's matches (players, ranks) and the `matches` version they were read at."""
    version = tables.version(lake, "matches")
    if version is None:
        return [], None
    data = tables.read(lake, "matches", columns=["players", "ranks"], filter=pc.field("config") == config,
                       version=version)
    return data.to_pylist(), version


def _builtin_row(model_id: str, config: str, now: datetime) -> dict:
    agent = model_id.split("@")[0]
    return {"model_id": model_id, "config": config, "status": "candidate",
            "architecture": json.dumps({"builtin": agent}), "encoder_version": None, "parent_model_id": None,
            "dataset_id": None, "checkpoint_uri": None, "sha256": None, "metrics": None, "decision": None,
            "created_at": now, "updated_at": now}


def _apply(rows: list[dict], decision: Decision, cand_id: str, champ_row: dict | None, record: dict,
           now: datetime) -> tuple[list[dict], str]:
    status = {"promote": "champion", "reject": "rejected"}.get(decision.outcome)
    out = []
    for row in rows:
        row = dict(row)
        if row["model_id"] == cand_id:
            row["status"] = status or row["status"]
            row["decision"] = json.dumps(record, sort_keys=True)
            row["updated_at"] = now
            new_status = row["status"]
        elif decision.promoted and champ_row is not None and row["model_id"] == champ_row["model_id"]:
            row["status"] = "retired"
            old = json.loads(row["decision"]) if row["decision"] else {}
            row["decision"] = json.dumps(dict(old, retired_by=cand_id, retired_at=now.isoformat()), sort_keys=True)
            row["updated_at"] = now
        out.append(row)
    return out, new_status


def _attempt(lake: Lake, config: str, model_id: str, rules: PromotionRules, attempt: int,
             before_commit, budget: int | None) -> PromotionResult:
    table = tables.ensure_table(lake, "models")
    version = table.version()
    rows = config_rows(lake, config, version)
    cand_id = registry_model_id(model_id, config)
    now = _now()
    if not any(r["model_id"] == cand_id for r in rows):
        if not parse_player(player_id(model_id)).is_builtin:
            raise LookupError(f"model {cand_id!r} is not registered in `models` for {config}")
        rows.append(_builtin_row(cand_id, config, now))
    champions = [r for r in rows if r["status"] == "champion"]
    if len(champions) > 1:
        raise RuntimeError(f"{config} has {len(champions)} champions: {[r['model_id'] for r in champions]}")
    champ_row = champions[0] if champions else None
    champion_player = player_id_of_registry(champ_row["model_id"]) if champ_row else None
    matches, matches_version = config_matches(lake, config)
    candidate_player = parse_player(player_id(model_id)).with_budget(budget).player_id
    if champion_player is not None and not parse_player(champion_player).is_builtin:
        champion_player = parse_player(champion_player).with_budget(budget).player_id
    decision = decide(matches, candidate_player, champion_player, rules)
    record = dict(decision.as_dict(), rules=rules.as_dict(), matches_version=matches_version, budget=budget,
                  previous_champion=champ_row["model_id"] if champ_row else None, decided_at=now.isoformat())
    if decision.outcome == "already_champion":     # nothing to change; keep the decision that promoted it
        return PromotionResult(cand_id, "champion", decision, cand_id, cand_id, version, matches_version, attempt)
    new_rows, status = _apply(rows, decision, cand_id, champ_row, record, now)
    data = tables.conform("models", new_rows)
    if before_commit is not None:
        before_commit(attempt)
    write_deltalake(table, data, mode="overwrite", predicate=f"config = '{config}'", schema_mode="merge",
                    commit_properties=CommitProperties(max_commit_retries=0))
    champion = cand_id if decision.promoted else (champ_row["model_id"] if champ_row else None)
    return PromotionResult(cand_id, status, decision, champ_row["model_id"] if champ_row else None, champion,
                           version + 1, matches_version, attempt)


def promote(lake: Lake, config: str, model_id: str, rules: PromotionRules = PromotionRules(),
            attempts: int = 30, base_delay_s: float = 0.05, before_commit=None,
            budget: int | None = None) -> PromotionResult:
    """Decide on `model_id` (a model id, or `heuristic`/`random`) for `config` and record it atomically.

    With `budget`, the decision reads the games of the model as a search player (`gumbel<budget>:model:<id>`)
    against the champion's network at the same budget (a built-in champion, the one-ply heuristic, plays
    as itself) and against the baselines: the generation loop promotes on strength at its search budget.

    `before_commit(attempt)` is called between deciding and committing (tests use it to hold one
    promotion there while another commits, to exercise the conflict path deterministically).
    """
    if not _CONFIG_NAME.match(config):
        raise ValueError(f"not a config name: {config!r}")
    for attempt in range(1, attempts + 1):
        try:
            return _attempt(lake, config, model_id, rules, attempt, before_commit, budget)
        except CommitFailedError:
            time.sleep(random.uniform(0, min(2.0, base_delay_s * 2 ** min(attempt, 6))))
    raise PromotionConflict(f"promote {model_id} in {config}: {attempts} attempts all lost a commit race on models")
