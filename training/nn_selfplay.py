"""Selfplay with a network: a model (the config's champion by default) plays itself; games go to raw_games.

    python -m training.nn_selfplay --config square8_2p --games 200                      # the champion
    python -m training.nn_selfplay --config square8_2p --model square8_2p-2026... --device cuda
    python -m training.nn_selfplay --config hex8_2p --games 50 --temperature 1.0 --sample-plies 20 --seed 7

Every seat is a `PolicyAgent` of the same model, shown every position (`training.seats.Seat`, so it sees
the history frames training saw). For varied games, the moves of the first `--sample-plies` plies are
sampled from the policy at `--temperature` (`PolicyAgent(sample_plies=...)`); later moves are the argmax. When the champion is a built-in agent (the
heuristic, before any network has been promoted), that agent plays instead, so the loop can run from
the first day. The device is CUDA when present (`--device auto`); the network runs on one position at
a time.

Rows are the shared selfplay rows (`game_row`: source `selfplay`, agent `policy` and the model id per
seat), appended in batches of `--batch-size`, each batch one atomic Delta commit: a crash loses at
most the batch in hand and never shows part of a game. Game ids are `<config>-nn<seed hex>-<index>`,
so a rerun with the same `--seed` skips the games already committed. A game still running after
`--max-moves` moves (default: the board's `move_cap`; argmax players can repeat moves for ever) is
not written. Prints a JSON summary; exit 0 when every game was written.
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
import uuid
from datetime import datetime, timezone

from ringrift_lake.location import Lake
from ringrift_lake.promotion.players import is_builtin, player_id_of_registry
from ringrift_lake.promotion.registry import current_champion
from ringrift_lake.selfplay.rows import game_row, seat_rows, write_raw_games, writer_id
from ringrift_lake.selfplay.worker import game_seed, present_game_ids
from training.seats import Seat, agent_maker


def resolve_player(lake: Lake, config: str, model: str) -> str:
    """`champion` -> the champion's player id (`heuristic` or `model:<id>`); a model id -> `model:<id>`."""
    if model != "champion":
        return model if is_builtin(model) or model.startswith("model:") else f"model:{model}"
    row = current_champion(lake, config)
    if row is None:
        raise LookupError(f"{config} has no champion yet: promote one (evaluate job) or pass --model")
    return player_id_of_registry(row["model_id"])


def run_nn_selfplay(lake: Lake, config: str, games: int, model: str = "champion", seed: int | None = None,
                    temperature: float = 1.0, sample_plies: int = 30, batch_size: int = 50, device: str = "auto",
                    max_moves: int | None = None, log=lambda line: None) -> dict:
    """Play `games` selfplay games of `model` and append them to raw_games; returns a summary dict."""
    from engine import parse_config, play_game

    if games < 0 or batch_size < 1 or temperature < 0 or sample_plies < 0:
        raise ValueError("games, sample_plies and temperature must be >= 0 and batch_size >= 1")
    cfg = parse_config(config)
    board_type, num_players = cfg.board_type, cfg.num_players
    max_moves = cfg.move_cap if max_moves is None else max_moves
    player = resolve_player(lake, config, model)
    make_agent = agent_maker(lake, player, device, temperature=temperature, sample_plies=sample_plies)
    model_id = player.removeprefix("model:") if player.startswith("model:") else None
    seats = seat_rows(["policy" if model_id else player] * num_players, [model_id] * num_players)
    run_seed = seed if seed is not None else secrets.randbits(48)
    prefix = f"{config}-nn{run_seed:x}-"
    present = present_game_ids(lake, config, prefix)
    summary = {"config": config, "player": player, "run_seed": run_seed, "games_requested": games,
               "games_written": 0, "games_present": 0, "games_unfinished": 0, "moves_written": 0, "commits": 0}
    pending: list[dict] = []
    started = time.monotonic()

    def flush() -> None:
        if pending:
            version = write_raw_games(lake, pending, writer=writer_id("nn"), batch_id=uuid.uuid4().hex)
            summary["games_written"] += len(pending)
            summary["moves_written"] += sum(r["num_moves"] for r in pending)
            summary["commits"] += 1
            summary["raw_games_version"] = version
            log(f"{config}: {summary['games_written']}/{games} games committed (raw_games v{version})")
            pending.clear()

    for index in range(games):
        game_id = f"{prefix}{index}"
        if game_id in present:
            summary["games_present"] += 1
            continue
        game_seed_value = game_seed(config, run_seed, -1, index)
        agents = [make_agent(game_seed_value + seat) for seat in range(num_players)]
        table = [Seat(a, agents) for a in agents]
        began = datetime.now(timezone.utc)
        played = play_game(board_type, num_players, table, seed=game_seed_value, max_moves=max_moves)
        if played.status != "completed":
            summary["games_unfinished"] += 1
            continue
        pending.append(game_row(played, config, seats, "selfplay", game_seed_value, game_id=game_id,
                                started_at=began, finished_at=datetime.now(timezone.utc)))
        if len(pending) >= batch_size:
            flush()
    flush()
    summary["seconds"] = round(time.monotonic() - started, 3)
    return summary


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--games", type=int, default=100)
    p.add_argument("--model", default="champion", help="champion | a model id | heuristic | random")
    p.add_argument("--seed", type=int, help="run seed (fixes game ids and seeds; a rerun skips committed games)")
    p.add_argument("--temperature", type=float, default=1.0, help="sampling temperature of the opening plies")
    p.add_argument("--sample-plies", type=int, default=30, help="plies sampled at --temperature; argmax after")
    p.add_argument("--batch-size", type=int, default=50, help="games per raw_games commit")
    p.add_argument("--max-moves", type=int, help="a game still running after this many moves is not written "
                                                 "(default: twice the longest plausible game of the board)")
    p.add_argument("--device", default="auto", help="auto | cpu | cuda[:k]")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.nn_selfplay", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return run_and_report(parser.parse_args(argv))


def run_and_report(args: argparse.Namespace) -> int:
    """Runs selfplay; prints the JSON summary. 0: every game written; 1: some unfinished; 2: bad input."""
    try:
        summary = run_nn_selfplay(Lake.from_env(), args.config, args.games, args.model, args.seed, args.temperature,
                                  args.sample_plies, args.batch_size, args.device, args.max_moves,
                                  log=lambda line: print(line, file=sys.stderr, flush=True))
    except (ValueError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary))
    return 0 if summary["games_written"] + summary["games_present"] == args.games else 1


if __name__ == "__main__":
    sys.exit(main())
