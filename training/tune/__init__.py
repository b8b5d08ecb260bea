"""Tuning a network's raw policy against fixed opponents by policy gradient (training.tune.run).

The generation loop trains the policy to imitate the search, which makes it a better prior for the search
but not a better player on its own (docs/generations.md). This package trains the raw policy on the
outcomes of its own games against fixed opponents: `rollouts` plays them and records every decision,
`ppo` turns the outcomes into a clipped policy-gradient step with the value head as the baseline, `run`
is the command (`ringrift-lake tune`).
"""
