"""Maximum-likelihood Bradley–Terry ratings on the Elo scale (pure numpy).

Model: P(a beats b) = 1 / (1 + 10 ** ((R_b - R_a) / 400)). Working in natural
units theta = R * ln(10) / 400, P = sigmoid(theta_a - theta_b), and a draw
counts as half a win for each side.

Identification: the anchor player (``random``) is fixed at ``anchor_rating``
(400) and only the other players are free.

Ridge prior: a player with only wins (or only losses) has no finite maximum
likelihood rating, so the objective adds a Gaussian prior on every free
player, centred on the anchor, with a standard deviation of
``PRIOR_SD_ELO`` (2000 Elo). Its curvature (about 0.0075 per squared natural
unit) is tiny next to the information of even a handful of games (a single
even game carries 0.25), so it moves well-measured ratings by a negligible
amount, keeps undefeated players finite (about 950 Elo above the anchor
after 10 straight wins, 1650 after 1000, with errors of 600–800) and keeps
the Hessian invertible for players not connected to the anchor by any game.

Fit: Newton's method on the concave penalised log-likelihood with a
backtracking line search (a handful of iterations).

Standard errors: from the observed Fisher information, i.e. the inverse of
the negative Hessian of the penalised log-likelihood at the optimum; they are
errors relative to the anchor (the anchor's own is 0). When some game gave
more than one pair (3–4 player games), the pairs of one game are correlated
and the pairwise likelihood overstates the information, so the errors are
the larger of the Hessian ones and the game-clustered sandwich
H^-1 J H^-1 (J = sum over games of the outer product of each game's score).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ringrift_lake.elo.pairs import PairwiseResults

ANCHOR_PLAYER = "random"
ANCHOR_RATING = 400.0
PRIOR_SD_ELO = 2000.0
ELO_PER_NAT = 400.0 / math.log(10.0)


@dataclass(frozen=True)
class EloFit:
    players: tuple[str, ...]
    ratings: np.ndarray     # Elo per player
    stderr: np.ndarray      # Elo, relative to the anchor
    games: np.ndarray       # finished games per player
    wins: np.ndarray        # first places per player
    anchor: str
    iterations: int
    sandwich: bool          # True when the clustered (multiplayer) errors were considered

    def rating(self, player: str) -> float:
        return float(self.ratings[self.players.index(player)])

    def error(self, player: str) -> float:
        return float(self.stderr[self.players.index(player)])

    def rows(self) -> list[dict]:
        """One dict per player, best first."""
        order = np.argsort(-self.ratings, kind="stable")
        return [{"player_id": self.players[k], "rating": float(self.ratings[k]), "stderr": float(self.stderr[k]),
                 "games": int(self.games[k]), "wins": float(self.wins[k])} for k in order]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _objective(theta, pairs, ridge):
    d = theta[pairs.i] - theta[pairs.j]
    # log sigmoid(d) = -logaddexp(0, -d), written stably
    loglik = -(pairs.score * np.logaddexp(0.0, -d) + (1.0 - pairs.score) * np.logaddexp(0.0, d)).sum()
    return loglik - 0.5 * float((ridge * theta * theta).sum())


def _gradient_hessian(theta, pairs, ridge):
    n = theta.size
    d = theta[pairs.i] - theta[pairs.j]
    p = _sigmoid(d)
    resid = pairs.score - p
    grad = np.bincount(pairs.i, resid, n) - np.bincount(pairs.j, resid, n) - ridge * theta
    w = p * (1.0 - p)
    hess = np.zeros((n, n))
    np.add.at(hess, (pairs.i, pairs.j), w)
    hess = hess + hess.T
    hess[np.diag_indices(n)] = -(np.bincount(pairs.i, w, n) + np.bincount(pairs.j, w, n)) - ridge
    return grad, hess, resid


def _clustered_information(pairs, resid, n, chunk_games: int = 20000):
    """J = sum over games of u_g u_g^T, u_g the game's gradient; built a chunk of games at a time."""
    order = np.argsort(pairs.game, kind="stable")
    game, i, j, r = pairs.game[order], pairs.i[order], pairs.j[order], resid[order]
    info = np.zeros((n, n))
    for start in range(0, pairs.num_games, chunk_games):
        lo, hi = np.searchsorted(game, [start, start + chunk_games])
        scores = np.zeros((min(chunk_games, pairs.num_games - start), n))
        np.add.at(scores, (game[lo:hi] - start, i[lo:hi]), r[lo:hi])
        np.add.at(scores, (game[lo:hi] - start, j[lo:hi]), -r[lo:hi])
        info += scores.T @ scores
    return info


def fit_bradley_terry(pairs: PairwiseResults, anchor: str = ANCHOR_PLAYER, anchor_rating: float = ANCHOR_RATING,
                      prior_sd_elo: float = PRIOR_SD_ELO, tol: float = 1e-10, max_iter: int = 200) -> EloFit:
    """Fit ratings to the pairs; ValueError when the anchor played no finished game."""
    if anchor not in pairs.players:
        raise ValueError(f"no finished game involves the anchor player {anchor!r}; cannot place ratings")
    n = len(pairs.players)
    a = pairs.players.index(anchor)
    free = np.array([k for k in range(n) if k != a], dtype=np.int64)
    ridge = (ELO_PER_NAT / prior_sd_elo) ** 2
    # The anchor sits at theta = 0 and the ridge acts on free players only.
    ridge_vec = np.full(n, ridge)
    ridge_vec[a] = 0.0
    theta = np.zeros(n)
    iterations = 0
    for iterations in range(1, max_iter + 1 if free.size else 1):
        grad, hess, _ = _gradient_hessian(theta, pairs, ridge_vec)
        g, h = grad[free], hess[np.ix_(free, free)]
        step = np.linalg.solve(-h, g)
        current = _objective(theta, pairs, ridge_vec)
        t = 1.0
        while True:
            trial = theta.copy()
            trial[free] += t * step
            if _objective(trial, pairs, ridge_vec) >= current - 1e-12 or t < 1e-8:
                break
            t *= 0.5
        theta = trial
        if np.max(np.abs(t * step)) < tol:
            break
    grad, hess, resid = _gradient_hessian(theta, pairs, ridge_vec)
    cov = np.linalg.inv(-hess[np.ix_(free, free)]) if free.size else np.zeros((0, 0))
    var = np.diag(cov).copy()
    sandwich = pairs.multiplayer()
    if sandwich and free.size:
        robust = cov @ _clustered_information(pairs, resid, n)[np.ix_(free, free)] @ cov
        var = np.maximum(var, np.diag(robust))
    stderr = np.zeros(n)
    stderr[free] = np.sqrt(var) * ELO_PER_NAT
    return EloFit(
        players=pairs.players,
        ratings=anchor_rating + theta * ELO_PER_NAT,
        stderr=stderr,
        games=pairs.games_played,
        wins=pairs.wins,
        anchor=anchor,
        iterations=iterations,
        sandwich=sandwich,
    )
