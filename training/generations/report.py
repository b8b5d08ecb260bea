"""What the generations measured, as a table and an Elo plot (the newest Elo snapshot of the config,
so every generation is rated on all the games played so far).

    rows = generation_table(lake, "square8_2p")
    print(markdown(rows)); plot(rows, "out/elo.png", "square8_2p")
"""
from __future__ import annotations

import json

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.elo.snapshot import elo_history, latest_rows


def _rate(results: dict, key_start: str, opponent: str) -> float | None:
    for key, h2h in results.items():
        if key.startswith(key_start) and key.endswith(f" vs {opponent}"):
            return h2h["rate"]
    return None


def generation_table(lake, config: str) -> list[dict]:
    gens = sorted(tables.read(lake, "generations", filter=pc.field("config") == config).to_pylist(),
                  key=lambda r: r["generation"])
    elo = {r["player_id"]: r for r in latest_rows(elo_history(lake, config))}
    out = []
    for g in gens:
        model = g["model_id"]
        search = next((p for p in elo if p.startswith("gumbel") and p.endswith(f":model:{model}")), None)
        raw = elo.get(f"model:{model}")
        results, held = json.loads(g["results"] or "{}"), json.loads(g["heldout"] or "{}")
        out.append({
            "generation": g["generation"], "model_id": model, "promoted": g["promoted"],
            "elo_search": elo[search]["rating"] if search else None, "se_search": elo[search]["stderr"] if search else None,
            "elo_raw": raw["rating"] if raw else None, "se_raw": raw["stderr"] if raw else None,
            "search_vs_heuristic": _rate(results, "gumbel", "heuristic"),
            "raw_vs_heuristic": _rate(results, "model:", "heuristic"),
            "search_vs_random": _rate(results, "gumbel", "random"),
            "heldout_top1": held.get("top1"), "heldout_policy_loss": held.get("policy_loss"),
            "heldout_value_mse": held.get("value_mse"), "resign_fp_rate": g["resign_fp_rate"],
            "resign_threshold": g["resign_threshold"], "games_per_s": g["selfplay_games_per_s"],
            "reuse_ratio": g["reuse_ratio"], "stage_seconds": json.loads(g["stage_seconds"] or "{}"),
        })
    return out


def _fmt(value, spec: str = ".3f") -> str:
    return "" if value is None else format(value, spec)


def markdown(rows: list[dict]) -> str:
    head = ("| gen | promoted | Elo search ± SE | Elo raw ± SE | search vs heuristic | raw vs heuristic | "
            "held-out top-1 | held-out value MSE | resign FP | games/s | reuse | wall s |")
    lines = [head, "|" + "|".join(["---"] * 12) + "|"]
    for r in rows:
        wall = sum(r["stage_seconds"].values())
        lines.append(
            f"| {r['generation']} | {'yes' if r['promoted'] else 'no'} | {_fmt(r['elo_search'], '.0f')} ± "
            f"{_fmt(r['se_search'], '.0f')} | {_fmt(r['elo_raw'], '.0f')} ± {_fmt(r['se_raw'], '.0f')} | "
            f"{_fmt(r['search_vs_heuristic'])} | {_fmt(r['raw_vs_heuristic'])} | {_fmt(r['heldout_top1'])} | "
            f"{_fmt(r['heldout_value_mse'])} | {_fmt(r['resign_fp_rate'])} | {_fmt(r['games_per_s'], '.2f')} | "
            f"{_fmt(r['reuse_ratio'], '.2f')} | {wall:.0f} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: str, title: str) -> None:
    """Elo ± SE per generation, as search and as raw policy (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for key, se, label in (("elo_search", "se_search", "with search"), ("elo_raw", "se_raw", "raw policy")):
        pts = [(r["generation"], r[key], r[se]) for r in rows if r[key] is not None]
        if pts:
            xs, ys, es = zip(*pts)
            ax.errorbar(xs, ys, yerr=es, marker="o", capsize=3, label=label)
    promoted = [r["generation"] for r in rows if r["promoted"]]
    for g in promoted:
        ax.axvline(g, color="grey", alpha=0.2)
    ax.set_xlabel("generation (grey: promoted)")
    ax.set_ylabel("Elo (random = 400)")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
