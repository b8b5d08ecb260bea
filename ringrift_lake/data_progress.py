"""How much new training data each config has since it was last trained: the numbers behind the
retrain rule (assets/train/retrain_sensor.py) and the selfplay scheduler (ringrift_lake.fleet).

New samples are the moves of consolidated games newer than the newest dataset any model of the
config was trained on (so data a rejected candidate already saw does not count twice); the
baseline is the moves in the champion's dataset window. A config needs

    needed_samples = max(min_samples, ratio * trained_samples)

new samples before it is retrained (defaults: RINGRIFT_RETRAIN_RATIO 0.25, RINGRIFT_RETRAIN_MIN_SAMPLES
20000). Configs with no consolidated game have no row.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ringrift_lake.location import Lake

DEFAULT_RATIO = float(os.environ.get("RINGRIFT_RETRAIN_RATIO") or 0.25)
DEFAULT_MIN_SAMPLES = int(os.environ.get("RINGRIFT_RETRAIN_MIN_SAMPLES") or 20000)

PROGRESS_SQL = """
WITH champion AS (
    SELECT m.config, d.min_ingest_seq AS lo, d.max_ingest_seq AS hi
    FROM models m JOIN datasets d ON d.dataset_id = m.dataset_id
    WHERE m.status = 'champion'
), trained AS (
    SELECT m.config, max(d.max_ingest_seq) AS last_seq,
           count(*) FILTER (WHERE m.status = 'candidate' AND m.decision IS NULL) AS pending
    FROM models m LEFT JOIN datasets d ON d.dataset_id = m.dataset_id
    GROUP BY m.config
)
SELECT g.config,
       coalesce(sum(g.num_moves) FILTER (WHERE g.ingest_seq > coalesce(t.last_seq, -1)), 0) AS new_samples,
       coalesce(sum(g.num_moves) FILTER (WHERE g.ingest_seq BETWEEN c.lo AND c.hi), 0) AS trained_samples,
       coalesce(max(t.pending), 0) AS pending,
       max(g.ingest_seq) AS max_seq,
       count(*) AS games
FROM games g
LEFT JOIN champion c ON c.config = g.config
LEFT JOIN trained t ON t.config = g.config
GROUP BY g.config
ORDER BY g.config
"""


@dataclass(frozen=True)
class Progress:
    config: str
    new_samples: int         # moves of games newer than the newest trained dataset
    trained_samples: int     # moves in the champion's dataset window (0 without a network champion)
    pending: int             # candidates still waiting for an evaluation
    max_seq: int             # the newest ingest_seq of the config's games
    games: int = 0           # consolidated games of the config


def needed_samples(progress: Progress, ratio: float, min_samples: int) -> float:
    """New samples the config needs before its next training (module docstring)."""
    return max(min_samples, ratio * progress.trained_samples)


def data_progress(lake: Lake) -> list[Progress]:
    """One Progress per config that has consolidated games, by config name."""
    from ringrift_lake.query import connect

    con = connect(lake)
    try:
        return [Progress(c, int(n), int(t), int(p), int(s), int(g))
                for c, n, t, p, s, g in con.execute(PROGRESS_SQL).fetchall()]
    finally:
        con.close()
