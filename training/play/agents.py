"""The one agent factory: player ids -> agents, networks loaded once per process.

    player = resolve_player(lake, "square8_2p", "gumbel64:champion")   # Player("gumbel64:model:<id>", ref)
    factory = AgentFactory(lake, "square8_2p", {player.player_id: player.checkpoint}, PlayOptions())
    agent = factory.agent(player.player_id, seed=7)

`resolve_player` turns what a user typed (`ringrift_lake.players` syntax, or a bare model id) into the
canonical player id that games, matches and Elo record, and remembers where its network is (a model id
of the lake, or a checkpoint file such as `models/<file>.safetensors`). The factory builds a fresh agent
per game and seat from that: the engine's random and heuristic agents, a network's raw policy
(`PolicyNetAgent`), or Gumbel search over the heuristic or a network (`GumbelAgent`, training.search). A network is
loaded and verified once per process and shared by every agent made from it. Torch is imported only
when a network is asked for.
"""
from __future__ import annotations

from dataclasses import dataclass

from ringrift_lake.location import Lake
from ringrift_lake.players import MODEL_PREFIX, PlayerSpec, is_checkpoint_path, parse_player
from ringrift_lake.promotion.registry import resolve_champion


@dataclass(frozen=True)
class PlayOptions:
    """How the network and search agents of a run play (the built-in agents ignore these)."""

    temperature: float = 1.0        # sampling temperature of the first `sample_plies` plies (a raw policy
    sample_plies: int = 0           # samples its softmax, a search its improved policy); 0: best move throughout
    gumbel_noise: bool = False      # Gumbel noise at the search root (selfplay exploration)
    device: str = "cpu"             # auto | cpu | cuda[:k] for networks
    batch_games: int = 64           # games a worker plays at once (search: one batched evaluation per step)
    cheap_budget: int | None = None  # playout-cap randomisation: a cheap search of this budget on most plies,
    full_search_prob: float = 1.0    # a full one (a policy target) with this probability
    resign_threshold: float | None = None  # 2 players: a search whose mover's root value is below this resigns,
    no_resign_share: float = 0.2     # except in this share of games (by seed: `may_resign`), which measure
                                     # the threshold's false positives

    def resign_below(self, game_seed: int) -> float | None:
        """The resignation threshold of the game with this seed (None: it plays to the end)."""
        return self.resign_threshold if self.resign_threshold is not None and may_resign(game_seed, self) else None


def may_resign(game_seed: int, options: "PlayOptions") -> bool:
    """A fixed share of games, chosen by seed, never resigns."""
    return (game_seed % 1000) >= options.no_resign_share * 1000


@dataclass(frozen=True)
class Player:
    player_id: str                  # canonical: recorded in raw_games, matches and elo
    checkpoint: str | None = None   # where its network is: a model id of the lake or a checkpoint path

    @property
    def spec(self) -> PlayerSpec:
        return parse_player(self.player_id)


def resolve_player(lake: Lake, config: str, text: str) -> Player:
    """The canonical player of `text` (`ringrift_lake.players` syntax): `champion` replaced by the config's
    champion, a checkpoint path by its model id (the path kept for loading). Checks that a network
    player's checkpoint exists, was made for this config and by this code's encoder."""
    spec = parse_player(text)
    if spec.needs_champion:
        from training.shipped import ensure_shipped_champion

        ensure_shipped_champion(lake, config)        # a fresh lake starts from the shipped champion, if any
    spec = resolve_champion(lake, config, spec)
    ref = spec.model_ref
    if ref is None:
        return Player(spec.player_id)
    meta = _checkpoint_meta(lake, config, ref)
    if meta["config"] != config:
        raise ValueError(f"{text}: model {meta['model_id']} is a {meta['config']} model; this is {config}")
    return Player(spec.with_base(MODEL_PREFIX + meta["model_id"]).player_id, ref)


def _checkpoint_meta(lake: Lake, config: str, ref: str) -> dict:
    from ringrift_lake.encoding import ENCODER_VERSION
    from training.checkpoint import CheckpointError, read_meta

    try:
        meta = read_meta(lake, ref)
    except CheckpointError as exc:
        if is_checkpoint_path(ref):
            raise ValueError(f"no checkpoint at {ref}: {exc}") from None
        raise LookupError(_unknown_model(lake, config, ref)) from None
    if meta.get("encoder_version") != ENCODER_VERSION:
        raise ValueError(f"model {meta.get('model_id')} was trained with encoder {meta.get('encoder_version')}; "
                         f"this code encodes {ENCODER_VERSION} (retrain it, or play it with the matching code)")
    return meta


def _unknown_model(lake: Lake, config: str, ref: str) -> str:
    import pyarrow.compute as pc

    from ringrift_lake import tables

    known = tables.read(lake, "models", columns=["model_id"], filter=pc.field("config") == config)
    names = sorted(known.column("model_id").to_pylist())
    listed = ", ".join(names[-10:]) if names else "none yet"
    return f"no model {ref!r} for {config}; known models: {listed}"


class AgentFactory:
    """Fresh agents by player id for one config; `checkpoints` maps network players to their checkpoint.

    Agents speak the search protocol (`decide(state, legal, history)`, see training.search.protocol);
    the built-in engine agents are wrapped by the driver. Every agent of one network shares that
    network's evaluator, so the driver batches all their evaluations together.
    """

    def __init__(self, lake: Lake, config: str, checkpoints: dict[str, str | None] | None = None,
                 options: PlayOptions = PlayOptions()):
        self.lake, self.config, self.options = lake, config, options
        self.checkpoints = dict(checkpoints or {})
        self._evaluators: dict[str, object] = {}

    def table(self, players, seed: int) -> list:
        """The agents of one game, one per seat; seats of the same player share one agent (and so, for a
        search, one tree that every move of the game re-roots)."""
        made: dict[str, object] = {}
        for k, player in enumerate(players):
            if player not in made:
                made[player] = self.agent(player, (seed * 31 + k + 1) % 2**62)
        return [made[p] for p in players]

    def agent(self, player: str, seed: int):
        spec = parse_player(player)
        if spec.needs_champion:
            raise ValueError(f"{player}: resolve the champion first (resolve_player)")
        if spec.is_builtin:
            from engine.agents import AGENTS_BY_NAME

            return AGENTS_BY_NAME[spec.base](seed=seed)
        o = self.options
        evaluator = self.evaluator(player, spec)
        if spec.budget is None:
            from training.search.agents import PolicyNetAgent

            return PolicyNetAgent(evaluator, seed=seed, temperature=o.temperature, sample_plies=o.sample_plies,
                                  name=player)
        from training.search.agents import GumbelAgent

        return GumbelAgent(evaluator, spec.budget, seed=seed, gumbel_noise=o.gumbel_noise, name=player,
                           sample_plies=o.sample_plies, temperature=o.temperature, cheap_budget=o.cheap_budget,
                           full_search_prob=o.full_search_prob if o.cheap_budget else 1.0)

    def evaluator(self, player: str, spec: PlayerSpec):
        """The evaluator behind a search or raw-policy player: the heuristic's, or its network's (loaded
        and verified once per process, then shared)."""
        ref = "heuristic" if spec.base == "heuristic" else (self.checkpoints.get(player) or spec.model_ref)
        if ref not in self._evaluators:
            if ref == "heuristic":
                from training.search.heuristic_eval import HeuristicEvaluator

                self._evaluators[ref] = HeuristicEvaluator()
            else:
                self._evaluators[ref] = self._network_evaluator(ref)
        return self._evaluators[ref]

    def _network_evaluator(self, ref: str):
        from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
        from training import checkpoint
        from training.loop import pick_device
        from training.search.network_eval import NetworkEvaluator

        device = str(pick_device(self.options.device))
        loaded = checkpoint.load(self.lake, ref, expect_config=self.config, expect_encoder_version=ENCODER_VERSION,
                                 device=device)
        return NetworkEvaluator(loaded.model, encoder_for(loaded.meta["board_type"]), device=device)
