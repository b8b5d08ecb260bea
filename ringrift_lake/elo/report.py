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
    """Plot rating ± 1 standard error per snapshot for the players of the latest snapshot; returns them.

    The x axis is the snapshot sequence (labelled with the `matches` version each was fitted on), so
    snapshots taken minutes or months apart are equally readable.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    snapshots = sorted({(r["computed_at"], r["snapshot_id"], r["matches_version"]) for r in history})
    position = {sid: k for k, (_, sid, _) in enumerate(snapshots)}
    label = {k: f"v{mv}" for k, (_, _, mv) in enumerate(snapshots)}
    by_player: dict[str, list[dict]] = defaultdict(list)
    for r in history:
        by_player[r["player_id"]].append(r)
    latest = snapshots[-1][1] if snapshots else None
    current = sorted((r for r in history if r["snapshot_id"] == latest), key=lambda r: -r["rating"])
    players = [r["player_id"] for r in current][:MAX_PLOTTED_PLAYERS]
    fig, ax = plt.subplots(figsize=(9, 5), dpi=110)
    for player in players:
        points = sorted(by_player[player], key=lambda r: position[r["snapshot_id"]])
        ax.errorbar([position[r["snapshot_id"]] for r in points], [r["rating"] for r in points],
                    yerr=[r["stderr"] for r in points], marker="o", markersize=3, capsize=2, label=player)
    ax.set_title(title)
    ax.set_ylabel("Elo (random = 400), ± 1 std. error")
    ax.set_xlabel("snapshot (matches version fitted)")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: label.get(int(round(x)), "")))
    ax.set_xlim(-0.5, max(len(snapshots) - 0.5, 0.5))
    ax.grid(alpha=0.3)
    if players:
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
    return players
