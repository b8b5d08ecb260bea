"""`with_symmetries` adds the 7 other D4 views of every selfplay sample whose move remaps, keeping the
played index among the sample's legal indices and the game, ply and values of the original."""
from __future__ import annotations

import numpy as np

from ringrift_lake.encoding.symmetry import board_symmetries
from selfplay_data import selfplay_samples, with_symmetries


def test_every_remappable_sample_gets_seven_transformed_copies():
    samples = selfplay_samples("square8", 2, 300, seed=3)
    n = len(samples["index"])
    sym = board_symmetries("square8")
    out = with_symmetries(samples, "square8")
    remappable = sum(sym.index_maps[1][i] >= 0 for i in samples["index"])
    assert remappable > 0.9 * n
    assert len(out["index"]) == n + (sym.count - 1) * remappable
    assert {len(v) for v in out.values()} == {len(out["index"])}
    for i in range(len(out["index"])):
        assert out["index"][i] in out["legal"][i]
    sources = [i for i in range(n) if sym.index_maps[1][samples["index"][i]] >= 0]
    j = len(sources) // 2               # a mid-game sample (the empty opening board is symmetric)
    source, first_copy = sources[j], n + j   # symmetry 1's copies come first, in sample order
    assert out["game"][first_copy] == samples["game"][source] and out["ply"][first_copy] == samples["ply"][source]
    np.testing.assert_array_equal(out["values"][first_copy], samples["values"][source])
    np.testing.assert_array_equal(out["planes"][first_copy], sym.transform_planes(samples["planes"][source], 1))
    assert not np.array_equal(out["planes"][first_copy], samples["planes"][source])
