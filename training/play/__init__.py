"""Playing games into the lake: the one game harness behind selfplay, gauntlets and matches.

    run_selfplay(lake, config, games, player="heuristic" | "model:<id>" | "gumbel64:champion", workers=K, seed=S)
    run_match(lake, config, ["gumbel64:heuristic", "heuristic"], games=200, seed=S, workers=K)
    training.gauntlet.run_gauntlet(lake, config, candidate, ...)

agents.py    resolve_player (what a user typed -> the canonical player id) and AgentFactory, the one place
             that builds an agent for a player id
plan.py      PlayPlan / GameJob: the games of a run, who sits where, how they are recorded
games.py     plays the jobs (a table of seats showing every position to every agent)
worker.py    one worker: its share of the jobs, committed in atomic batches (raw_games, then matches)
runner.py    run_plan: K spawned workers, restarts, progress, the PlayReport
selfplay.py  run_selfplay; match.py run_match (the summary line with its 95% interval)
"""
from training.play.agents import AgentFactory, Player, PlayOptions, resolve_player
from training.play.match import MatchReport, run_match
from training.play.plan import GameJob, PlayPlan
from training.play.runner import PlayError, PlayReport, run_plan
from training.play.selfplay import SELFPLAY_OPTIONS, run_selfplay

__all__ = ["AgentFactory", "GameJob", "MatchReport", "Player", "PlayError", "PlayOptions", "PlayPlan", "PlayReport",
           "SELFPLAY_OPTIONS", "resolve_player", "run_match", "run_plan", "run_selfplay"]
