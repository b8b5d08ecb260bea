"""An engine agent that plays the policy head's choice among the legal moves.

    agent = PolicyAgent.from_checkpoint(lake, "square8_2p-20261129T...", seed=7)      # argmax
    agent = PolicyAgent(model, encoder_for("square8"), seed=7, temperature=1.0)       # sampling
    agent = PolicyAgent(model, encoder, seed=7, temperature=1.0, sample_plies=30)     # sample plies 0-29 only
    move = agent.select_move(state, legal_moves(state))

The logits are masked to the legal moves' policy indices (moves that share an
index are one action). History frames: the encoder stacks the previous
positions of the game behind the current one, as in training. The agent keeps
a copy of every position it is shown; a caller that also shows it the other
players' positions (`observe(state)` before each move) gives it the full
history, otherwise the frames it never saw are zero, as at the start of a game.
Single positions, no batching, CPU by default, `torch.inference_mode`.
"""
from __future__ import annotations

import numpy as np
import torch

from training import checkpoint


class PolicyAgent:
    def __init__(self, model, encoder, seed: int = 0, temperature: float = 0.0, rules_options: dict | None = None,
                 name: str = "policy", device: str | torch.device = "cpu", sample_plies: int | None = None):
        if temperature < 0:
            raise ValueError("temperature must be >= 0 (0 = argmax)")
        self.sample_plies = sample_plies          # None: `temperature` on every ply; k: on plies < k, argmax after
        self.device = torch.device(device)
        self.model = model.to(self.device).eval()
        self.encoder = encoder
        self.seed, self.temperature, self.rules_options, self.name = seed, temperature, rules_options, name
        self._rng = np.random.default_rng(seed)
        self._seen: dict[int, object] = {}    # move_count -> copy of the pre-move state

    @classmethod
    def from_checkpoint(cls, lake, model_ref: str, seed: int = 0, temperature: float = 0.0,
                        rules_options: dict | None = None, device: str = "cpu") -> "PolicyAgent":
        """Loads a verified checkpoint; refuses one made with another encoder version than this code's."""
        from ringrift_lake.encoding import ENCODER_VERSION, encoder_for

        loaded = checkpoint.load(lake, model_ref, expect_encoder_version=ENCODER_VERSION, device=device)
        meta = loaded.meta
        return cls(loaded.model, encoder_for(meta["board_type"]), seed=seed, temperature=temperature,
                   rules_options=rules_options, name=f"model:{meta['model_id']}", device=device)

    def observe(self, state) -> None:
        """Remember a pre-move position of the current game (any player's) for the history frames."""
        if self._seen and state.move_count < max(self._seen):
            self._seen.clear()                            # a new game started
        self._seen.setdefault(state.move_count, state.copy())
        for old in [k for k in self._seen if k < state.move_count - self.encoder.history]:
            del self._seen[old]

    def _history(self, move_count: int) -> list:
        history = []
        for k in range(move_count - 1, move_count - 1 - self.encoder.history, -1):
            if k not in self._seen:
                break
            history.append(self._seen[k])
        return history[::-1]

    @torch.inference_mode()
    def policy_logits(self, state) -> np.ndarray:
        """float32 [policy_size] logits of `state` (no masking)."""
        planes_chw, globals_g = self.encoder.encode_state(state, self._history(state.move_count), self.rules_options)
        x = torch.from_numpy(planes_chw).unsqueeze(0).to(self.device)
        g = torch.from_numpy(globals_g).unsqueeze(0).to(self.device)
        logits_bp, _ = self.model(x, g)
        return logits_bp[0].float().cpu().numpy()

    def select_move(self, state, legal: list):
        if not legal:
            raise ValueError("select_move needs at least one legal move")
        self.observe(state)
        if len(legal) == 1:
            return legal[0]
        by_index: dict[int, object] = {}
        for move in legal:
            by_index.setdefault(self.encoder.action_space.encode_move(state, move), move)
        indices = np.fromiter(by_index, dtype=np.int64, count=len(by_index))
        legal_logits = self.policy_logits(state)[indices].astype(np.float64)
        sampling = self.temperature > 0 and (self.sample_plies is None or state.move_count < self.sample_plies)
        if not sampling:
            choice = int(np.argmax(legal_logits))
        else:
            z = legal_logits / self.temperature
            p = np.exp(z - z.max())
            choice = int(self._rng.choice(len(indices), p=p / p.sum()))
        return by_index[int(indices[choice])]

