"""The knobs of `ringrift-lake tune` (training.tune.run), one flag per field. No torch here."""
from __future__ import annotations

from dataclasses import dataclass

from ringrift_lake.knobs import knob


@dataclass
class TuneSettings:
    config: str = knob("", "e.g. square8_2p", required=True)
    model: str = knob("champion", "model id, checkpoint path, or champion (the config's network champion)",
                      metavar="MODEL")
    against: list[str] = knob(["heuristic"], "built-in opponents, one per game in turn", metavar="AGENT")
    iterations: int = knob(30, "rounds of rollouts then one update")
    games: int = knob(1024, "rollout games per iteration")
    epochs: int = knob(2, "passes over each iteration's decisions")
    minibatch: int = knob(512, "decisions per optimizer step")
    lr: float = knob(1e-4, "Adam learning rate")
    clip: float = knob(0.2, "PPO ratio clip")
    value_weight: float = knob(0.5, "weight of the value MSE (the baseline's own fit)")
    entropy_weight: float = knob(0.0, "entropy bonus")
    anchor_kl: float = knob(0.0, "weight of KL(source || tuned) over the legal moves: keeps the prior search relies on")
    anchor_value: float = knob(0.0, "weight of the MSE between the tuned and the source value: keeps search's evaluator")
    eval_every: int = knob(5, "score the argmax policy against each opponent every this many iterations (0: only at the end)")
    eval_games: int = knob(200, "games per opponent of each score (0: no scoring)")
    batch_games: int = knob(256, "games in flight, their evaluations batched together")
    seed: int = knob(0, "seed of the rollouts, the shuffling and the scores")
    device: str = knob("auto", "auto | cpu | cuda | cuda:N")
    lake: str | None = knob(None, "lake root (default: $RINGRIFT_LAKE or ./lake)")
    generation: int | None = knob(None, "generation number recorded in the models row")
    no_register: bool = knob(False, "write the checkpoint but no models row")
