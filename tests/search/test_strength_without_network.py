"""Strength without a network (`-m slow`): Gumbel search over the heuristic evaluator at budget 64 against
the plain one-ply heuristic agent, 200 games with seats alternated, through `ringrift-lake match`. Bars:
>= 0.65 on square8 2p, >= 0.60 on hex8 2p. Measured figures: training/search/README.md."""
from __future__ import annotations

import re

import pytest

from cli import main as cli

BARS = {"square8_2p": 0.65, "hex8_2p": 0.60}


@pytest.mark.slow
@pytest.mark.parametrize("config", sorted(BARS))
def test_gumbel64_over_the_heuristic_beats_the_heuristic(config, local_lake, capsys):
    assert cli(["match", "--config", config, "--players", "gumbel64:heuristic", "heuristic", "--games", "200",
                "--seed", "1", "--workers", "2", "--quiet"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    print(line)
    assert float(re.search(r"score (\d\.\d+)", line).group(1)) >= BARS[config], line
