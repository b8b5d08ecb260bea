"""The optimisation loop: AdamW, warm-up + cosine LR, policy CE + value MSE, early stopping.

`fit(model, shards, settings)` trains in place, restores the weights of the
best validation epoch and returns the metrics dict stored in the checkpoint
and the `models` row. CUDA gets autocast (bf16, else fp16 with a grad scaler)
and channels_last; CPU runs plain float32. `--augment symmetries` shows each training batch
through random board symmetries (training.augment).
"""
from __future__ import annotations

import copy
import math
import sys
import time
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from ringrift_lake.encoding.planes import PLANE_UNITS
from training.augment import SymmetryAugment
from training.settings import FitSettings
from training.shards import Batch, Prefetcher, ShardSet

__all__ = ["FitSettings", "fit", "evaluate", "legal_logits", "losses", "lr_at", "pick_device", "to_tensors"]


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def pick_device(choice: str = "auto") -> torch.device:
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if choice.startswith("cuda") and not torch.cuda.is_available():
        raise RuntimeError("--device cuda asked for, but torch sees no CUDA device")
    return torch.device(choice)


def lr_at(step: int, total_steps: int, s: FitSettings) -> float:
    """Linear warm-up to s.lr, then cosine decay to s.lr * s.lr_min_ratio at total_steps."""
    if step < s.warmup_steps:
        return s.lr * (step + 1) / s.warmup_steps
    span = max(total_steps - s.warmup_steps, 1)
    progress = min((step - s.warmup_steps) / span, 1.0)
    lr_min = s.lr * s.lr_min_ratio
    return lr_min + 0.5 * (s.lr - lr_min) * (1.0 + math.cos(math.pi * progress))


def _amp_dtype(device: torch.device, amp: str) -> torch.dtype | None:
    if device.type != "cuda" or amp == "off":
        return None
    if amp == "fp16":
        return torch.float16
    if amp == "bf16" or torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float16


def to_tensors(batch: Batch, pin: bool) -> dict[str, torch.Tensor]:
    out = {"planes": torch.from_numpy(batch.planes_bchw), "globals": torch.from_numpy(batch.globals_bg),
           "row": torch.from_numpy(batch.target_row_k), "index": torch.from_numpy(batch.target_index_k),
           "prob": torch.from_numpy(batch.target_prob_k), "top": torch.from_numpy(batch.target_top_b),
           "values": torch.from_numpy(batch.values_b4), "legal_row": torch.from_numpy(batch.legal_row_l),
           "legal_index": torch.from_numpy(batch.legal_index_l), "legal_known": torch.from_numpy(batch.legal_known_b)}
    return {k: v.pin_memory() for k, v in out.items()} if pin else out


def legal_logits(logits_bp: torch.Tensor, t: dict[str, torch.Tensor]) -> torch.Tensor:
    """The logits with every index that is not a legal move of its sample set to -inf (samples whose
    shard lists no legal moves keep the whole action space). The policy is then learnt as a choice
    among the legal moves only: a forced move costs nothing, and rare decisions (a territory region
    against skipping it) are not drowned by the moves that are never legal there."""
    known_b = t["legal_known"]
    if not bool(known_b.any()):
        return logits_bp
    allowed_bp = (~known_b)[:, None].expand_as(logits_bp).clone()
    allowed_bp[t["legal_row"], t["legal_index"]] = True
    return logits_bp.masked_fill(~allowed_bp, float("-inf"))


def losses(model, t: dict[str, torch.Tensor], device: torch.device, amp_dtype, channels_last: bool):
    """(policy CE per sample with a policy target, value MSE, number of top-1 hits) for one batch of tensors.
    A sample without a policy target (a searched game's ply without a full search) trains the value only."""
    t = {k: v.to(device, non_blocking=True) for k, v in t.items()}
    planes = t["planes"]
    if planes.dtype == torch.uint8:                 # the exporter's eighths, converted on the device
        planes = planes.float() / PLANE_UNITS
    planes = planes.to(memory_format=torch.channels_last) if channels_last else planes
    with torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
        logits_bp, values_b4 = model(planes, t["globals"])
    logits_bp = legal_logits(logits_bp.float(), t)
    logp_bp = F.log_softmax(logits_bp, dim=1)
    targets = (t["top"] >= 0).sum().clamp(min=1)   # samples with a policy target (value-only samples have none)
    target_logp_k = logp_bp[t["row"], t["index"]]
    policy_ce = -torch.where(t["prob"] > 0, t["prob"] * target_logp_k, 0.0).sum() / targets
    n = model.num_players
    value_mse = F.mse_loss(values_b4.float()[:, :n], t["values"][:, :n])
    hits = (logits_bp.argmax(dim=1) == t["top"]).sum()
    return policy_ce, value_mse, hits


@torch.no_grad()
def evaluate(model, shards: ShardSet, s: FitSettings, device: torch.device) -> dict[str, float]:
    model.eval()
    amp_dtype, cl = _amp_dtype(device, s.amp), device.type == "cuda"
    sums, count, with_target = np.zeros(3), 0, 0
    for batch in shards.val_batches(s.batch_size):
        tensors = to_tensors(batch, False)
        policy, value, hits = losses(model, tensors, device, amp_dtype, cl)
        targets = int((tensors["top"] >= 0).sum())
        sums += [policy.item() * targets, value.item() * batch.size, hits.item()]
        count += batch.size
        with_target += targets
    model.train()
    p, acc = (float(x) for x in (sums[0], sums[2]) / np.float64(max(with_target, 1)))
    v = float(sums[1] / max(count, 1))
    return {"val_policy_loss": p, "val_value_loss": v, "val_loss": p + s.value_weight * v,
            "val_policy_accuracy": acc, "val_samples": count, "val_policy_samples": with_target}


def _train_gather(shards: ShardSet, s: FitSettings, board_type: str):
    """(epoch, batch number, refs) -> the training Batch, augmented by `s.augment`: each batch draws its
    symmetries from its own seeded generator, so a run is the same whichever loader thread builds it."""
    if s.augment == "off":
        return lambda epoch, i, refs: shards.gather(refs)
    augment = SymmetryAugment(board_type)
    return lambda epoch, i, refs: augment(shards.gather(refs), np.random.default_rng([s.seed, epoch, i]))


def fit(model, shards: ShardSet, s: FitSettings, log: Callable[[str], None] = _stderr) -> dict:
    """Train `model` in place (best validation epoch restored); returns the metrics. `log` gets a line
    per epoch."""
    if len(shards.val_refs) == 0:
        raise ValueError("no validation samples: the dataset has too few games for the validation fraction")
    if len(shards.train_refs) == 0:
        raise ValueError("no training samples")
    device = pick_device(s.device)
    torch.manual_seed(s.seed)
    rng = np.random.default_rng(s.seed)
    amp_dtype, channels_last = _amp_dtype(device, s.amp), device.type == "cuda"
    model.to(device)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    decay = [p for p in model.parameters() if p.ndim >= 2]
    no_decay = [p for p in model.parameters() if p.ndim < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": s.weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=s.lr,
                                  fused=device.type == "cuda")
    scaler = torch.amp.GradScaler("cuda", enabled=amp_dtype == torch.float16)
    steps_per_epoch = max(len(shards.train_refs) // s.batch_size, 1)
    total_steps = s.epochs * steps_per_epoch if s.max_steps is None else min(s.max_steps, s.epochs * steps_per_epoch)
    best = {"val_loss": math.inf}
    best_state, bad_epochs, step, samples, train_seconds = None, 0, 0, 0, 0.0
    history, stopped_early = [], False
    gather = _train_gather(shards, s, model.arch["board_type"])
    model.train()
    for epoch in range(1, s.epochs + 1):
        pin = device.type == "cuda"
        prefetch = Prefetcher(enumerate(shards.train_chunks(s.batch_size, rng)),
                              lambda item, epoch=epoch: to_tensors(gather(epoch, *item), pin), depth=s.prefetch,
                              workers=s.loader_workers)
        sums, seen, started = np.zeros(2), 0, time.perf_counter()
        try:
            for t in prefetch:
                if step >= total_steps:
                    break
                for group in optimizer.param_groups:
                    group["lr"] = lr_at(step, total_steps, s)
                policy, value, _ = losses(model, t, device, amp_dtype, channels_last)
                loss = policy + s.value_weight * value
                if not torch.isfinite(loss):
                    raise FloatingPointError(f"loss became {loss.item()} at step {step}")
                optimizer.zero_grad(set_to_none=True)
                scaler.scale(loss).backward()
                scaler.unscale_(optimizer)
                torch.nn.utils.clip_grad_norm_(model.parameters(), s.grad_clip)
                scaler.step(optimizer)
                scaler.update()
                batch = t["planes"].shape[0]
                sums += [policy.item() * batch, value.item() * batch]
                seen += batch
                step += 1
        finally:
            prefetch.close()
        if device.type == "cuda":
            torch.cuda.synchronize()
        train_seconds += time.perf_counter() - started
        samples += seen
        val = evaluate(model, shards, s, device)
        train_p, train_v = (float(x) for x in sums / max(seen, 1))
        row = {"epoch": epoch, "step": step, "train_policy_loss": train_p, "train_value_loss": train_v,
               "train_loss": train_p + s.value_weight * train_v, **val}
        history.append(row)
        log(f"epoch {epoch}/{s.epochs} step {step}/{total_steps} train {row['train_loss']:.4f} "
              f"val {val['val_loss']:.4f} (policy {val['val_policy_loss']:.4f} value {val['val_value_loss']:.4f}) "
              f"acc {val['val_policy_accuracy']:.3f} {samples / max(train_seconds, 1e-9):.0f} samples/s")
        if val["val_loss"] < best["val_loss"] - s.min_delta:
            best, bad_epochs = row, 0
            best_state = copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()})
        else:
            bad_epochs += 1
        if step >= total_steps:
            break
        if bad_epochs >= s.patience:
            stopped_early = True
            log(f"early stop: no val improvement over {s.patience} epochs (best epoch {best['epoch']})")
            break
    model.load_state_dict(best_state)
    model.to(memory_format=torch.contiguous_format).cpu().eval()
    return {**{k: v for k, v in best.items()}, "best_epoch": best["epoch"], "epochs_run": len(history),
            "steps": step, "train_samples_seen": samples, "samples_per_s": samples / max(train_seconds, 1e-9),
            "stopped_early": stopped_early, "device": str(device), "amp": str(amp_dtype).replace("torch.", ""),
            "train_positions": int(len(shards.train_refs)), "val_positions": int(len(shards.val_refs)),
            "history": history}
