"""The memory-mapped shard reader and the train/validation loader, on real .npz files."""
from __future__ import annotations

import numpy as np
import pytest

from training.npz_mmap import map_npz
from training.shards import Prefetcher, ShardSet, is_validation, open_shard
from shard_files import write_learnable_shard


def test_members_are_memory_mapped_and_equal_to_np_load(tmp_path):
    path = write_learnable_shard(tmp_path / "a.npz", 300, first_game=0, seed=1, soft=True)
    mapped, loaded = map_npz(path), np.load(path)
    assert sorted(mapped) == sorted(loaded.files)
    for name in loaded.files:
        assert isinstance(mapped[name], np.memmap), name
        np.testing.assert_array_equal(mapped[name], loaded[name])


def test_compressed_shard_is_refused(tmp_path):
    path = tmp_path / "c.npz"
    np.savez_compressed(path, planes_nchw=np.zeros((2, 1, 2, 2), np.float32))
    with pytest.raises(ValueError, match="compressed"):
        map_npz(str(path))


def test_shard_missing_an_array_or_with_a_wrong_dtype_is_refused(tmp_path):
    good = np.load(write_learnable_shard(tmp_path / "g.npz", 50, 0, 1))
    arrays = {k: good[k] for k in good.files}
    np.savez(tmp_path / "missing.npz", **{k: v for k, v in arrays.items() if k != "game_key_n"})
    with pytest.raises(ValueError, match="game_key_n"):
        open_shard(str(tmp_path / "missing.npz"))
    np.savez(tmp_path / "dtype.npz", **{**arrays, "policy_indices": arrays["policy_indices"].astype(np.int64)})
    with pytest.raises(ValueError, match="policy_indices"):
        open_shard(str(tmp_path / "dtype.npz"))
    with_legal = np.load(write_learnable_shard(tmp_path / "l.npz", 50, 0, 1, legal=True))
    arrays = {k: with_legal[k] for k in with_legal.files}
    np.savez(tmp_path / "half.npz", **{k: v for k, v in arrays.items() if k != "legal_indices"})
    with pytest.raises(ValueError, match="legal_offsets without its partner"):
        open_shard(str(tmp_path / "half.npz"))
    np.savez(tmp_path / "short.npz", **{**arrays, "legal_indices": arrays["legal_indices"][:-1]})
    with pytest.raises(ValueError, match="legal_offsets do not span legal_indices"):
        open_shard(str(tmp_path / "short.npz"))


def test_split_is_by_game_deterministic_and_near_the_fraction():
    keys = np.arange(20_000, dtype=np.int64) * 1_000_003
    first, second = is_validation(keys, 0.05), is_validation(keys, 0.05)
    np.testing.assert_array_equal(first, second)
    assert 0.04 < first.mean() < 0.06
    repeated = np.repeat(keys[:500], 7)       # every sample of a game lands on the same side
    assert (is_validation(repeated, 0.3).reshape(500, 7).std(axis=1) == 0).all()


def test_gather_returns_the_rows_asked_for(tmp_path):
    paths = [write_learnable_shard(tmp_path / f"s{i}.npz", 100, 50 * i, i, soft=True) for i in range(2)]
    shards = ShardSet(paths, val_fraction=0.2)
    refs = np.array([(1 << 40) | 7, 3], dtype=np.int64)   # shard 1 row 7, shard 0 row 3
    batch = shards.gather(refs)
    raw = [np.load(p) for p in paths]
    np.testing.assert_array_equal(batch.planes_bchw[0], raw[0]["planes_nchw"][3])   # sorted by shard
    np.testing.assert_array_equal(batch.planes_bchw[1], raw[1]["planes_nchw"][7])
    for row, (shard, r) in enumerate([(0, 3), (1, 7)]):
        lo, hi = raw[shard]["policy_offsets"][r:r + 2]
        mine = batch.target_row_k == row
        np.testing.assert_array_equal(batch.target_index_k[mine], raw[shard]["policy_indices"][lo:hi])
        np.testing.assert_allclose(batch.target_prob_k[mine], raw[shard]["policy_probs"][lo:hi])
        assert batch.target_top_b[row] == raw[shard]["policy_indices"][lo]        # prob 0.75 comes first
    assert batch.target_prob_k.sum() == pytest.approx(2.0)
    assert not batch.legal_known_b.any() and batch.legal_index_l.size == 0


def test_gather_returns_each_rows_legal_moves_and_mixes_shards_with_and_without_them(tmp_path):
    paths = [write_learnable_shard(tmp_path / "plain.npz", 100, 0, 0),
             write_learnable_shard(tmp_path / "legal.npz", 100, 50, 1, legal=True)]
    shards = ShardSet(paths, val_fraction=0.2)
    batch = shards.gather(np.array([(1 << 40) | 9, 4, (1 << 40) | 2], dtype=np.int64))
    raw = np.load(paths[1])
    assert batch.legal_known_b.tolist() == [False, True, True]          # sorted: shard 0 row 4, shard 1 rows 2, 9
    assert 0 not in batch.legal_row_l
    for row, r in ((1, 2), (2, 9)):
        lo, hi = raw["legal_offsets"][r:r + 2]
        np.testing.assert_array_equal(batch.legal_index_l[batch.legal_row_l == row], raw["legal_indices"][lo:hi])
        assert batch.target_top_b[row] in batch.legal_index_l[batch.legal_row_l == row]


def test_train_and_validation_games_are_disjoint_and_cover_everything(learnable_shards):
    shards = ShardSet(learnable_shards, val_fraction=0.2)
    keys = lambda refs: {int(shards.shards[r >> 40]["game_key_n"][r & ((1 << 40) - 1)]) for r in refs}
    assert keys(shards.train_refs).isdisjoint(keys(shards.val_refs))
    assert len(shards.train_refs) + len(shards.val_refs) == 1800
    assert len(shards.val_refs) > 0
    epoch = list(shards.train_batches(64, np.random.default_rng(0)))
    assert sum(b.size for b in epoch) == len(shards.train_refs) // 64 * 64


@pytest.mark.parametrize("workers", [1, 3])
def test_prefetcher_yields_every_result_in_order_and_reraises_errors_in_place(workers):
    assert list(Prefetcher(range(10), lambda k: k * k, depth=2, workers=workers)) == [k * k for k in range(10)]

    def produce(k):
        if k == 4:
            raise OSError("disk gone")
        return k

    got = []
    feed = Prefetcher(range(10), produce, workers=workers)
    with pytest.raises(OSError, match="disk gone"):
        for item in feed:
            got.append(item)
    assert not any(thread.is_alive() for thread in feed._threads)     # a failed feed stops its threads
    assert got == [0, 1, 2, 3]


def test_prefetcher_closed_early_stops_its_threads():
    feed = Prefetcher(range(1000), lambda k: k, depth=2, workers=2)
    assert next(iter(feed)) == 0
    feed.close()
    assert not any(t.is_alive() for t in feed._threads)


def test_a_small_dataset_keeps_at_least_one_game_on_each_side(tmp_path):
    path = write_learnable_shard(tmp_path / "few.npz", 40, first_game=0, seed=0, games_per_shard=4)
    shards = ShardSet([path], val_fraction=0.0001)
    game = lambda refs: {int(shards.shards[0]["game_key_n"][r & ((1 << 40) - 1)]) for r in refs}
    assert len(game(shards.val_refs)) == 1 and len(game(shards.train_refs)) == 3
    shards = ShardSet([path], val_fraction=0.9999)
    assert len(game(shards.train_refs)) == 1 and len(game(shards.val_refs)) == 3


def test_uint8_eighths_planes_load_as_the_same_float32_planes(tmp_path):
    import torch

    from training.loop import losses, to_tensors
    from test_loop import tiny_model

    path = write_learnable_shard(tmp_path / "f32.npz", 60, 0, 1, legal=True)
    arrays = dict(np.load(path))
    arrays["planes_nchw"] = (arrays["planes_nchw"] * 8).astype(np.uint8)          # as the exporter stores them
    np.savez(tmp_path / "u8.npz", **arrays)
    refs = np.arange(10, dtype=np.int64)
    as_float = ShardSet([path], val_fraction=0.2).gather(refs)
    as_uint8 = ShardSet([str(tmp_path / "u8.npz")], val_fraction=0.2).gather(refs)
    assert as_uint8.planes_bchw.dtype == np.uint8                                   # moved to the device as is
    np.testing.assert_array_equal(as_uint8.planes_float32(), as_float.planes_bchw)
    model = tiny_model().eval()
    cpu = torch.device("cpu")
    assert [x.item() for x in losses(model, to_tensors(as_uint8, False), cpu, None, False)] == \
        [x.item() for x in losses(model, to_tensors(as_float, False), cpu, None, False)]
    mixed = ShardSet([path, str(tmp_path / "u8.npz")], val_fraction=0.2).gather(np.array([1, (1 << 40) | 1]))
    assert mixed.planes_bchw.dtype == np.float32 and np.array_equal(mixed.planes_bchw[0], mixed.planes_bchw[1])
