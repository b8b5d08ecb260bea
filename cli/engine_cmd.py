"""`ringrift-lake engine replay FILE...`: replay reference-game records through engine/."""
from __future__ import annotations


def register(sub) -> None:
    engine = sub.add_parser("engine", help="rules-engine tools")
    engine_sub = engine.add_subparsers(dest="engine_command", metavar="ENGINE_COMMAND")
    engine_sub.required = True
    replay = engine_sub.add_parser(
        "replay", help="replay reference-game records (.jsonl/.jsonl.gz) and compare every step"
    )
    replay.add_argument("files", nargs="+", metavar="FILE")
    replay.set_defaults(func=_run_replay)


def _run_replay(args) -> int:
    from engine.replay import replay_files

    return replay_files(args.files)
