"""A network's raw policy behind the engine's agent protocol (`select_move(state, legal)`), for
`engine.play_game` and tests: the search package's `PolicyNetAgent` on a `NetworkEvaluator`, run
one position at a time by `SyncAgent` (games of many positions at once go through `training.play`).

    agent = PolicyAgent.from_checkpoint(lake, "square8_2p-20261129T...", seed=7)      # argmax
    agent = PolicyAgent(model, encoder_for("square8"), seed=7, temperature=1.0)       # sampling
    agent = PolicyAgent(model, encoder, seed=7, temperature=1.0, sample_plies=30)     # sample plies 0-29 only
    move = agent.select_move(state, legal_moves(state))

The logits are masked to the legal moves' policy indices. History frames: the encoder stacks the
previous positions of the game behind the current one, as in training; a caller that shows the agent
every pre-move position (`observe(state)`, e.g. through `training.play.games.Seat`) gives it the full
history, otherwise the frames it never saw are zero, as at the start of a game.
"""
from __future__ import annotations

import numpy as np
import torch

from training import checkpoint
from training.search.agents import PolicyNetAgent, SyncAgent
from training.search.network_eval import NetworkEvaluator
from training.search.protocol import EvalRequest


class PolicyAgent(SyncAgent):
    def __init__(self, model, encoder, seed: int = 0, temperature: float = 0.0, rules_options: dict | None = None,
                 name: str = "policy", device: str | torch.device = "cpu", sample_plies: int | None = None):
        if temperature < 0:
            raise ValueError("temperature must be >= 0 (0 = argmax)")
        self.evaluator = NetworkEvaluator(model, encoder, device=device, channels_last=False)
        self.encoder, self.model = encoder, self.evaluator.model
        # temperature on every ply unless sample_plies says how many; 0: argmax throughout
        plies = 0 if temperature == 0 else (1 << 30 if sample_plies is None else sample_plies)
        super().__init__(PolicyNetAgent(self.evaluator, seed=seed, temperature=temperature, sample_plies=plies,
                                        name=name))

    @classmethod
    def from_checkpoint(cls, lake, model_ref: str, seed: int = 0, temperature: float = 0.0,
                        rules_options: dict | None = None, device: str = "cpu") -> "PolicyAgent":
        """Loads a verified checkpoint; refuses one made with another encoder version than this code's."""
        from ringrift_lake.encoding import ENCODER_VERSION, encoder_for

        loaded = checkpoint.load(lake, model_ref, expect_encoder_version=ENCODER_VERSION, device=device)
        meta = loaded.meta
        return cls(loaded.model, encoder_for(meta["board_type"]), seed=seed, temperature=temperature,
                   name=f"model:{meta['model_id']}", device=device)

    def _history(self, move_count: int) -> tuple:
        return self.history(move_count)

    def policy_logits(self, state) -> np.ndarray:
        """float32 [policy_size] logits of `state` (no masking), with the history it was shown."""
        planes = self.evaluator._planes[:1]
        globals_ = self.evaluator._globals[:1]
        request = EvalRequest(state, self.history(state.move_count), [])
        self.evaluator.batch_encoder.encode_into([request], planes.numpy(), globals_.numpy())
        logits_bp, _ = self.evaluator.forward(planes, globals_)
        return logits_bp[0].float().cpu().numpy()
