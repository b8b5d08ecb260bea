"""One clipped policy-gradient update (PPO's objective) on a RolloutBatch, the value head as the baseline.

    stats = ppo_update(model, optimizer, batch, epochs=2, minibatch=512, clip=0.2, value_weight=0.5)

Per decision: advantage = outcome - v(s) (the network's own value for the mover, detached), ratio =
pi(a|s) / pi_behaviour(a|s) over the legal moves; loss = -min(ratio * A, clip(ratio) * A)
+ value_weight * (v(s) - outcome)^2 - entropy_weight * H(pi(.|s)), and with a frozen `reference` (the
source network) + anchor_kl * KL(pi_ref || pi) + anchor_value * (v(s) - v_ref(s))^2: the anchors keep
the prior and the evaluator that search builds on. The network stays in eval mode:
its batch-norm statistics remain those of the data it was trained on (the rollouts are one opponent's
positions), only the weights move.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from training.tune.rollouts import RolloutBatch

NEG_INF = -1e9


def legal_log_probs(model, planes_bchw: torch.Tensor, globals_bg: torch.Tensor, cols_bl: torch.Tensor):
    """(log pi over each row's legal columns [B, L] (-1e9 past the count), the mover's value [B])."""
    logits_bp, values_b4 = model(planes_bchw, globals_bg)
    legal_bl = cols_bl >= 0
    logits_bl = logits_bp.gather(1, cols_bl.clamp(min=0)).float().masked_fill(~legal_bl, NEG_INF)
    return F.log_softmax(logits_bl, dim=1), values_b4[:, 0].float()


def ppo_update(model, optimizer, batch: RolloutBatch, *, epochs: int = 2, minibatch: int = 512, clip: float = 0.2,
               value_weight: float = 0.5, entropy_weight: float = 0.0, grad_clip: float = 1.0, device="cpu",
               generator: torch.Generator | None = None, reference=None, anchor_kl: float = 0.0,
               anchor_value: float = 0.0) -> dict:
    """Runs `epochs` shuffled passes over the batch; returns the mean losses, entropy, clipped share and,
    with a reference, the mean KL(ref || tuned) and value drift (mean squared)."""
    if (anchor_kl or anchor_value) and reference is None:
        raise ValueError("anchor_kl / anchor_value need the reference network")
    model.eval()
    count = len(batch)
    if count == 0:
        return {"policy_loss": 0.0, "value_loss": 0.0, "entropy": 0.0, "clipped": 0.0, "kl": 0.0,
                "value_drift": 0.0, "steps": 0}
    planes = torch.from_numpy(batch.planes_bchw)
    globals_ = torch.from_numpy(batch.globals_bg)
    cols = torch.from_numpy(batch.legal_cols_bl)
    chosen = torch.from_numpy(batch.chosen_b)
    old_logp = torch.from_numpy(batch.behaviour_logp_b)
    outcome = torch.from_numpy(batch.outcome_b)
    rows = []
    for _ in range(epochs):
        order = torch.randperm(count, generator=generator)
        for start in range(0, count, minibatch):
            b = order[start:start + minibatch]
            planes_b, globals_b, cols_b = planes[b].to(device, torch.float32), globals_[b].to(device), cols[b].to(device)
            logp_bl, value_b = legal_log_probs(model, planes_b, globals_b, cols_b)
            z_b = outcome[b].to(device)
            logp_b = logp_bl.gather(1, chosen[b].to(device)[:, None])[:, 0]
            advantage_b = z_b - value_b.detach()
            ratio_b = torch.exp(logp_b - old_logp[b].to(device))
            clipped_b = ratio_b.clamp(1 - clip, 1 + clip)
            policy_loss = -torch.min(ratio_b * advantage_b, clipped_b * advantage_b).mean()
            probs_bl = logp_bl.exp()
            entropy = -(probs_bl * logp_bl).masked_fill(cols_b < 0, 0.0).sum(1).mean()
            value_loss = ((value_b - z_b) ** 2).mean()
            kl, drift = _anchor_terms(reference, planes_b, globals_b, cols_b, logp_bl, value_b)
            loss = (policy_loss + value_weight * value_loss - entropy_weight * entropy
                    + anchor_kl * kl + anchor_value * drift)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
            optimizer.step()
            share = ((ratio_b - 1).abs() > clip).float().mean()
            rows.append((policy_loss.item(), value_loss.item(), entropy.item(), share.item(), kl.item(),
                         drift.item()))
    mean = np.mean(rows, axis=0)
    return {"policy_loss": float(mean[0]), "value_loss": float(mean[1]), "entropy": float(mean[2]),
            "clipped": float(mean[3]), "kl": float(mean[4]), "value_drift": float(mean[5]), "steps": len(rows)}


def _anchor_terms(reference, planes_bchw, globals_bg, cols_bl, logp_bl, value_b):
    """(mean KL(pi_ref || pi) over the legal moves, mean (v - v_ref)^2); zeros without a reference."""
    if reference is None:
        zero = value_b.new_zeros(())
        return zero, zero
    with torch.no_grad():
        ref_logp_bl, ref_value_b = legal_log_probs(reference, planes_bchw, globals_bg, cols_bl)
    legal_bl = cols_bl >= 0
    kl_b = (ref_logp_bl.exp() * (ref_logp_bl - logp_bl)).masked_fill(~legal_bl, 0.0).sum(1)
    return kl_b.mean(), ((value_b - ref_value_b) ** 2).mean()
