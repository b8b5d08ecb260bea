"""Settings as dataclasses: one field per knob, from which the command-line flags and the JSON form come.

    @dataclass
    class ExportSettings:
        config: str = knob("", "e.g. square8_2p", required=True)
        workers: int | None = knob(None, "worker processes")

    add_flags(parser, ExportSettings)                  # --config (required), --workers
    settings = from_namespace(ExportSettings, parser.parse_args())
    same = from_dict(ExportSettings, to_dict(settings))   # what crosses a process boundary (Dagster Pipes)

A field's flag is `--` + its name with `_` -> `-`; `bool` fields are switches (default False);
`list[...]` fields take one or more values. Help texts say the default. No field is translated by
hand on its way from a caller to the code that uses it.
"""
from __future__ import annotations

import argparse
import dataclasses
import typing
from types import UnionType


def knob(default, help: str, *, required: bool = False, choices: tuple | None = None, metavar: str | None = None):
    """A dataclass field with its command-line help (and whether the flag is required / its choices)."""
    meta = {"help": help, "required": required, "choices": choices, "metavar": metavar}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def _base_type(annotation):
    """(scalar type, is_list) of a field annotation such as `int | None` or `list[str] | None`."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        return _base_type(args[0])
    if typing.get_origin(annotation) is list:
        return args[0], True
    return annotation, False


def add_flags(parser: argparse.ArgumentParser, cls, *, exclude: tuple[str, ...] = (), defaults: dict | None = None):
    """Add one flag per field of the dataclass `cls` (those in `exclude` left out; `defaults` override)."""
    hints = typing.get_type_hints(cls)
    defaults = defaults or {}
    for f in dataclasses.fields(cls):
        if f.name in exclude or "help" not in f.metadata:
            continue
        flag = "--" + f.name.replace("_", "-")
        scalar, is_list = _base_type(hints[f.name])
        default = defaults.get(f.name, f.default if f.default is not dataclasses.MISSING else f.default_factory())
        meta = f.metadata
        help_text = meta["help"] if meta["required"] or default in (None, False, [], "") else \
            f"{meta['help']} (default {default})"
        if scalar is bool:
            parser.add_argument(flag, action="store_true", help=meta["help"])
            continue
        kwargs = {"type": scalar, "default": default, "help": help_text, "choices": meta["choices"]}
        if meta["metavar"]:
            kwargs["metavar"] = meta["metavar"]
        if is_list:
            kwargs["nargs"] = "+"
        if meta["required"] and f.name not in defaults:
            kwargs.update(required=True, default=None)
        parser.add_argument(flag, **kwargs)


def from_namespace(cls, args: argparse.Namespace, **overrides):
    """The dataclass from parsed flags (fields without a flag keep their defaults)."""
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    values.update(overrides)
    return cls(**values)


def to_dict(settings) -> dict:
    """JSON-able dict of every field."""
    return dataclasses.asdict(settings)


def from_dict(cls, data: dict):
    """The dataclass from `to_dict`'s output; an unknown key is an error (a knob that would be ignored)."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"unknown {cls.__name__} settings {unknown}; known: {sorted(names)}")
    return cls(**data)
