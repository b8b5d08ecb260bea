"""`ringrift-lake models import FILE [--champion]` / `models export --config C [--out models]` /
`models list --config C`: checkpoints in the registry, and shipping a champion with the repository."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("models", help="import a checkpoint file into the lake's registry, or list models")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    imp = actions.add_parser("import", help="copy a .safetensors checkpoint (+ its .json) into the lake and register it")
    imp.add_argument("file", help="e.g. models/square8_2p-champion.safetensors")
    imp.add_argument("--champion", action="store_true", help="make it the champion when its config has none yet")
    imp.set_defaults(func=_import)
    exp = actions.add_parser("export", help="write a config's champion with its lineage and Elo as "
                                            "<out>/<config>-champion.safetensors + .json (what models/ ships)")
    exp.add_argument("--config", required=True)
    exp.add_argument("--out", default="models", help="folder (default models)")
    exp.add_argument("--model", default=None, help="a model id instead of the champion")
    exp.set_defaults(func=_export)
    show = actions.add_parser("list", help="the models of a config with status, generation and parent")
    show.add_argument("--config", required=True)
    show.set_defaults(func=_list)


def _import(args) -> int:
    from ringrift_lake.location import Lake
    from training.shipped import import_checkpoint

    row = import_checkpoint(Lake.from_env(), args.file, champion=args.champion)
    print(f"{row['model_id']} ({row['config']}): {row['status']} in the registry; play it as "
          f"model:{row['model_id']} or gumbel64:model:{row['model_id']}")
    return 0


def _export(args) -> int:
    from engine import parse_config
    from ringrift_lake.location import Lake
    from training.ship import export_champion

    path = export_champion(Lake.from_env(), parse_config(args.config).name, args.out, args.model)
    print(f"wrote {path} and {path.with_suffix('.json')}; play it as gumbel64:model:{path}")
    return 0


def _list(args) -> int:
    import pyarrow.compute as pc
    from tabulate import tabulate

    from engine import parse_config
    from ringrift_lake import tables
    from ringrift_lake.location import Lake

    config = parse_config(args.config).name
    rows = tables.read(Lake.from_env(), "models", columns=["model_id", "status", "generation", "parent_model_id",
                                                           "created_at"], filter=pc.field("config") == config)
    print(tabulate(sorted(rows.to_pylist(), key=lambda r: r["created_at"]), headers="keys"))
    return 0
