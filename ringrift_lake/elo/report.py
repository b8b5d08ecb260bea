"""Leaderboard (markdown) and Elo-history plot (PNG, matplotlib Agg) of a config."""
from __future__ import annotations

from collections import defaultdict

from tabulate import tabulate

MAX_PLOTTED_PLAYERS = 12


def leaderboard_markdown(rows: list[dict], champion: str | None = None) -> str:
    """A GitHub-markdown table of one snapshot's rows (best first); the champion's player id is starred."""
    table = []
    for rank, r in enumerate(sorted(rows, key=lambda r: -r["rating"]), start=1):
        name = r["player_id"] + (" (champion)" if champion and r["player_id"] == champion else "")
        win = r["wins"] / r["games"] if r["games"] else 0.0
        table.append([rank, name, f"{r['rating']:.0f}", f"± {r['stderr']:.0f}", r["games"], f"{100 * win:.1f}%"])
    headers = ["#", "player", "Elo", "std. error", "games", "first places"]
    return tabulate(table, headers=headers, tablefmt="github", colalign=("right", "left", "right", "right",
                                                                           "right", "right"))


def plot_history(history: list[dict], path: str, title: str) -> list[str]:
    """Plot rating ± 1 standard error per snapshot for the players of the latest snapshot; returns them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_player: dict[str, list[dict]] = defaultdict(list)
    for r in history:
        by_player[r["player_id"]].append(r)
    latest = max(history, key=lambda r: r["computed_at"])["snapshot_id"] if history else None
    current = sorted((r for r in history if r["snapshot_id"] == latest), key=lambda r: -r["rating"])
    players = [r["player_id"] for r in current][:MAX_PLOTTED_PLAYERS]
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    for player in players:
        points = sorted(by_player[player], key=lambda r: r["computed_at"])
        times = [r["computed_at"] for r in points]
        ratings = [r["rating"] for r in points]
        errors = [r["stderr"] for r in points]
        ax.errorbar(times, ratings, yerr=errors, marker="o", markersize=3, capsize=2, label=player)
    ax.set_title(title)
    ax.set_ylabel("Elo (random = 400)")
    ax.set_xlabel("snapshot time (UTC)")
    ax.grid(alpha=0.3)
    if players:
        ax.legend(loc="best", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return players
