"""Start a model from another checkpoint (`--init`), across player counts of the same board.

The trunk and policy head carry over unchanged (the encoder and action space
depend on the board only). The value head's output layer has one row per
seat: when the target config has more players, the rows of the new seats
start as the mean of the existing rows plus a little noise — in a 2-player
model those rows are nearly opposite, so a new seat starts near a neutral
value of 0, and the noise breaks the symmetry between new seats. With fewer
players the first rows are kept.
"""
from __future__ import annotations

import torch

from training.model import PolicyValueNet, build_model

_SHAPE_KEYS = ("in_planes", "height", "width", "global_size", "policy_size")


def init_from(source: PolicyValueNet, source_meta: dict, board_type: str, num_players: int,
              encoder_version: str | None, seed: int = 0) -> PolicyValueNet:
    """A new model for (board_type, num_players) starting from `source`; ValueError when it cannot be."""
    if source_meta["board_type"] != board_type:
        raise ValueError(f"--init model {source_meta['model_id']} is for board {source_meta['board_type']}, "
                         f"not {board_type}: a model cannot be transferred across boards")
    if encoder_version is not None and source_meta["encoder_version"] != encoder_version:
        raise ValueError(f"--init model {source_meta['model_id']} uses encoder {source_meta['encoder_version']}, "
                         f"the dataset uses {encoder_version}")
    return resize_value_head(source, num_players, seed)


def resize_value_head(source: PolicyValueNet, num_players: int, seed: int = 0) -> PolicyValueNet:
    arch = dict(source.arch, num_players=num_players)
    target = build_model(arch)
    state = {k: v.detach().clone() for k, v in source.state_dict().items()}
    weight, bias = state["value_out.weight"], state["value_out.bias"]
    old = weight.shape[0]
    if num_players > old:
        gen = torch.Generator().manual_seed(seed)
        extra = num_players - old
        w_scale = float(weight.std()) * 0.1 if old > 1 else 0.01
        new_w = weight.mean(0, keepdim=True).repeat(extra, 1)
        new_w += torch.randn(new_w.shape, generator=gen) * w_scale
        new_b = bias.mean().repeat(extra) + torch.randn(extra, generator=gen) * 0.01
        state["value_out.weight"] = torch.cat([weight, new_w])
        state["value_out.bias"] = torch.cat([bias, new_b])
    else:
        state["value_out.weight"], state["value_out.bias"] = weight[:num_players], bias[:num_players]
    target.load_state_dict(state, strict=True)
    return target


def check_compatible(source_arch: dict, expected_arch: dict) -> None:
    """The input/output shapes of an --init model must match the dataset's encoder and action space."""
    diff = {k: (source_arch.get(k), expected_arch.get(k)) for k in _SHAPE_KEYS
            if source_arch.get(k) != expected_arch.get(k)}
    if diff:
        raise ValueError(f"--init model does not fit this data (init, expected): {diff}")
