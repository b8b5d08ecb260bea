"""The fleet for people: the allocation and the workers as markdown tables, the share history as a
PNG (stacked areas, one per config). Shown by the scheduler sensor in the Dagster UI and by
`ringrift-lake fleet`."""
from __future__ import annotations

import io
from collections import defaultdict

from tabulate import tabulate


def allocation_markdown(allocation: dict[str, dict]) -> str:
    rows = [[c, f"{100 * r['share']:.1f}%", f"{100 * r['batch_share']:.1f}%", f"{r['priority']:.2f}", r["reasons"]]
            for c, r in sorted(allocation.items(), key=lambda kv: -kv[1]["share"])]
    return tabulate(rows, headers=["config", "time share", "batch share", "priority", "why"], tablefmt="github")


def workers_markdown(states: list[dict]) -> str:
    if not states:
        return "No fleet worker has reported yet (`ringrift-lake worker`)."
    rows = [[s["worker_id"], s["state"], s["config"] or "-", s["player"] or "-", s["games_committed"],
             f"{s['games_per_s']:.2f}", s["commit_retries"], f"{s['age_s']:.0f}s", s["detail"] or ""]
            for s in states]
    return tabulate(rows, headers=["worker", "state", "config", "player", "games", "games/s", "retries",
                                   "last seen", "detail"], tablefmt="github")


def share_history_png(history: list[dict], title: str = "Selfplay time share per config") -> bytes:
    """Stacked share of every config over the allocations of `history` (allocation_history rows)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    times = sorted({r["created_at"] for r in history})
    series: dict[str, dict] = defaultdict(dict)
    for r in history:
        series[r["config"]][r["created_at"]] = r["share"]
    configs = sorted(series)
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    if times:
        ax.stackplot(times, [[series[c].get(t, 0.0) for t in times] for c in configs], labels=configs, alpha=0.85)
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of selfplay time")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()
