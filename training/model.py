"""The policy/value network: a ResNet trunk of squeeze-excitation blocks.

Everything that fixes the network's shape lives in one small JSON-able dict,
the *architecture* (see `architecture_for`), which the checkpoint stores, so a
model can be rebuilt from its checkpoint alone.

    x [B, C, H, W] float32 planes, g [B, G] float32 globals
    -> policy_logits [B, policy_size], values [B, 4] (tanh, seats > num_players = 0)
"""
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F

from training.settings import DEFAULT_BLOCKS, DEFAULT_CHANNELS

ARCH_KIND = "se_resnet"
ARCH_VERSION = 1
MAX_SEATS = 4
_FLAT_POLICY_INPUTS_MAX = 512   # above this many policy-head inputs, a hidden layer keeps the FC small

ARCH_KEYS = ("kind", "version", "board_type", "num_players", "in_planes", "height", "width", "global_size",
             "policy_size", "policy_spatial_planes", "channels", "blocks", "se_reduction", "policy_planes",
             "policy_hidden", "value_hidden")


def architecture_for(board_type: str, num_players: int, planes_chw: tuple[int, int, int], global_size: int,
                     policy_size: int, spatial_planes: int = 0, channels: int = DEFAULT_CHANNELS,
                     blocks: int = DEFAULT_BLOCKS) -> dict:
    """The architecture dict of a network for this board, player count and encoder shape.

    With `spatial_planes` > 0 the action space is laid out as `spatial_planes` planes of H x W
    (index = plane * H * W + row * W + col) followed by a few non-spatial "special" indices: the
    policy head is then a 1x1-convolution per plane plus a small FC for the specials. Otherwise
    it is a flat FC over a few reduced planes (a hidden layer keeps it small on large boards).
    """
    if not 2 <= num_players <= MAX_SEATS:
        raise ValueError(f"num_players must be 2..{MAX_SEATS}, got {num_players}")
    c, h, w = (int(v) for v in planes_chw)
    if spatial_planes and policy_size < spatial_planes * h * w:
        raise ValueError(f"policy_size {policy_size} < {spatial_planes} planes x {h}x{w}")
    policy_planes = 4
    flat_inputs = policy_planes * h * w + global_size
    return {
        "kind": ARCH_KIND, "version": ARCH_VERSION, "board_type": board_type, "num_players": int(num_players),
        "in_planes": c, "height": h, "width": w, "global_size": int(global_size), "policy_size": int(policy_size),
        "policy_spatial_planes": int(spatial_planes), "channels": int(channels), "blocks": int(blocks),
        "se_reduction": 8, "policy_planes": 0 if spatial_planes else policy_planes,
        "policy_hidden": 0 if spatial_planes or flat_inputs <= _FLAT_POLICY_INPUTS_MAX else 384,
        "value_hidden": 128,
    }


def check_architecture(arch: dict) -> dict:
    """Refuses an architecture dict this code cannot build (unknown kind/version, missing keys)."""
    missing = [k for k in ARCH_KEYS if k not in arch]
    if missing:
        raise ValueError(f"architecture lacks {missing}")
    if arch["kind"] != ARCH_KIND or arch["version"] != ARCH_VERSION:
        raise ValueError(f"architecture {arch['kind']} v{arch['version']} is not {ARCH_KIND} v{ARCH_VERSION}")
    return arch


class SqueezeExcite(nn.Module):
    def __init__(self, channels: int, reduction: int):
        super().__init__()
        hidden = max(channels // reduction, 8)
        self.fc1 = nn.Linear(channels, hidden)
        self.fc2 = nn.Linear(hidden, channels)

    def forward(self, x_bchw: torch.Tensor) -> torch.Tensor:
        squeezed_bc = x_bchw.mean(dim=(2, 3))
        scale_bc = torch.sigmoid(self.fc2(F.relu(self.fc1(squeezed_bc))))
        return x_bchw * scale_bc[:, :, None, None]


class SEResidualBlock(nn.Module):
    """conv-bn-relu-conv-bn, channel re-weighting by squeeze-excitation, skip, relu."""

    def __init__(self, channels: int, reduction: int):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.se = SqueezeExcite(channels, reduction)

    def forward(self, x_bchw: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.conv1(x_bchw)))
        y = self.se(self.bn2(self.conv2(y)))
        return F.relu(x_bchw + y)


class PolicyValueNet(nn.Module):
    def __init__(self, arch: dict):
        super().__init__()
        self.arch = dict(check_architecture(arch))
        c, ch, hw = arch["in_planes"], arch["channels"], arch["height"] * arch["width"]
        self.num_players = arch["num_players"]
        self.stem = nn.Sequential(nn.Conv2d(c, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch), nn.ReLU())
        self.trunk = nn.Sequential(*[SEResidualBlock(ch, arch["se_reduction"]) for _ in range(arch["blocks"])])
        self.spatial_planes = arch["policy_spatial_planes"]
        if self.spatial_planes:
            self.policy_conv = nn.Sequential(nn.Conv2d(ch, ch, 1, bias=False), nn.BatchNorm2d(ch), nn.ReLU(),
                                             nn.Conv2d(ch, self.spatial_planes, 1))
            specials = arch["policy_size"] - self.spatial_planes * hw
            self.policy_fc = nn.Sequential(nn.Linear(ch + arch["global_size"], specials)) if specials else None
        else:
            pp = arch["policy_planes"]
            self.policy_conv = nn.Sequential(nn.Conv2d(ch, pp, 1, bias=False), nn.BatchNorm2d(pp), nn.ReLU())
            flat = pp * hw + arch["global_size"]
            hidden = arch["policy_hidden"]
            self.policy_fc = (nn.Sequential(nn.Linear(flat, hidden), nn.ReLU(), nn.Linear(hidden, arch["policy_size"]))
                              if hidden else nn.Sequential(nn.Linear(flat, arch["policy_size"])))
        self.value_fc1 = nn.Linear(ch + arch["global_size"], arch["value_hidden"])
        self.value_out = nn.Linear(arch["value_hidden"], self.num_players)   # one row per seat

    def forward(self, x_bchw: torch.Tensor, g_bg: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.trunk(self.stem(x_bchw))
        pooled_bc = h.mean(dim=(2, 3))
        g_bg = g_bg.to(pooled_bc.dtype)
        if self.spatial_planes:
            policy_logits_bp = self.policy_conv(h).flatten(1)          # plane-major, then row, then col
            if self.policy_fc is not None:
                specials_bs = self.policy_fc(torch.cat([pooled_bc, g_bg], dim=1))
                policy_logits_bp = torch.cat([policy_logits_bp, specials_bs.to(policy_logits_bp.dtype)], dim=1)
        else:
            p = self.policy_conv(h).flatten(1)
            policy_logits_bp = self.policy_fc(torch.cat([p, g_bg.to(p.dtype)], dim=1))
        v = F.relu(self.value_fc1(torch.cat([pooled_bc, g_bg], dim=1)))
        values_bn = torch.tanh(self.value_out(v))
        values_b4 = F.pad(values_bn, (0, MAX_SEATS - self.num_players))
        return policy_logits_bp, values_b4


def build_model(arch: dict) -> PolicyValueNet:
    return PolicyValueNet(arch)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
