"""Strength with a network (`-m slow`): a network trained as today (heuristic selfplay data, the slow
learning check's recipe: ~20,000 square8 2p positions through the 8 symmetries, 48x3, 2 epochs) plays
200 games as `gumbel64:model:<it>` against its own raw policy `model:<it>`, seats alternated, through
`ringrift-lake match`; the search must score >= 0.75. Measured figures: training/search/README.md."""
from __future__ import annotations

import re

import pytest
import torch

from cli import main as cli
from ringrift_lake.encoding import ENCODER_VERSION
from training import checkpoint
from test_learning import train_on_selfplay


@pytest.mark.slow
def test_search_at_budget_64_beats_its_own_raw_policy(local_lake, tmp_path, capsys):
    torch.set_num_threads(2)
    _, _, model, _ = train_on_selfplay(tmp_path, positions=20_000, channels=48, blocks=3, epochs=2, seed=2,
                                       batch_size=128, lr=2e-3, epsilon=0.2, symmetries=True)
    saved = checkpoint.save(local_lake, model, config="square8_2p", encoder_version=ENCODER_VERSION, dataset_id=None)
    capsys.readouterr()
    assert cli(["match", "--config", "square8_2p", "--players", f"gumbel64:model:{saved.model_id}",
                f"model:{saved.model_id}", "--games", "200", "--seed", "1", "--workers", "2", "--quiet"]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    print(line)
    score = float(re.search(r"score (\d\.\d+)", line).group(1))
    assert score >= 0.75, line
