"""Training data loader over the shards of docs/contracts.md.

Shards are memory-mapped (`npz_mmap.map_npz`); a `ShardSet` splits their
samples into train and validation by a hash of `game_key_n` (a whole game is
on one side, the same on every run), draws random batches across all shards,
and `Prefetcher` builds the next batches on a background thread so the model
step never waits on I/O.
"""
from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, replace

import numpy as np

from ringrift_lake.encoding.planes import PLANE_UNITS
from ringrift_lake.export.shard_format import LEGAL, PLANES_DTYPES, REQUIRED
from training.npz_mmap import map_npz

SPLIT_SALT = 0x5EED_0F_5A11
_ROW_BITS = 40


def _splitmix64(x_u64: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x_u64 + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def split_score(game_key_n: np.ndarray) -> np.ndarray:
    """uint64 [N]: a per-game pseudo-random score in [0, 1e6) deciding the game's side."""
    keys = np.asarray(game_key_n, dtype=np.int64).view(np.uint64) ^ np.uint64(SPLIT_SALT)
    return _splitmix64(keys) % np.uint64(1_000_000)


def is_validation(game_key_n: np.ndarray, fraction: float) -> np.ndarray:
    """bool [N]: which samples belong to validation games (deterministic, per game)."""
    return split_score(game_key_n) < np.uint64(round(fraction * 1_000_000))


def open_shard(path: str) -> dict[str, np.ndarray]:
    """Maps a shard and checks every contract array's dtype, rank and length."""
    arrays = map_npz(path)
    missing = sorted(set(REQUIRED) - set(arrays))
    if missing:
        raise ValueError(f"shard {path} lacks arrays {missing}")
    n = arrays["planes_nchw"].shape[0]
    for name, (dtype, ndim) in REQUIRED.items():
        a = arrays[name]
        if name == "planes_nchw" and a.dtype in PLANES_DTYPES:
            dtype = a.dtype                             # uint8: the exporter's eighths (value * PLANE_UNITS)
        if a.dtype != dtype or a.ndim != ndim:
            raise ValueError(f"shard {path}: {name} is {a.dtype}{list(a.shape)}, expected {np.dtype(dtype)} rank {ndim}")
        if name not in ("policy_offsets", "policy_indices", "policy_probs") and a.shape[0] != n:
            raise ValueError(f"shard {path}: {name} has {a.shape[0]} rows, planes_nchw has {n}")
    present = [name for name in LEGAL if name in arrays]
    if len(present) == 1:
        raise ValueError(f"shard {path} has {present[0]} without its partner")
    for name in present:
        dtype, ndim = LEGAL[name]
        if arrays[name].dtype != dtype or arrays[name].ndim != ndim:
            raise ValueError(f"shard {path}: {name} is {arrays[name].dtype}, expected {np.dtype(dtype)} rank {ndim}")
    for kind in ["policy"] + (["legal"] if present else []):
        offsets = arrays[f"{kind}_offsets"]
        if offsets.shape[0] != n + 1 or offsets[0] != 0 or offsets[-1] != arrays[f"{kind}_indices"].shape[0]:
            raise ValueError(f"shard {path}: {kind}_offsets do not span {kind}_indices")
    if arrays["policy_probs"].shape != arrays["policy_indices"].shape or arrays["values_nseat"].shape[1] != 4:
        raise ValueError(f"shard {path}: policy_probs/values_nseat have the wrong shape")
    return arrays


@dataclass
class Batch:
    planes_bchw: np.ndarray      # [B, C, H, W] as stored: uint8 eighths (exporter) or float32; see planes_float32
    globals_bg: np.ndarray       # float32 [B, G]
    target_row_k: np.ndarray     # int64 [nnz]: batch row of each sparse policy entry
    target_index_k: np.ndarray   # int64 [nnz]: action index
    target_prob_k: np.ndarray    # float32 [nnz]
    target_top_b: np.ndarray     # int64 [B]: most probable target index (-1 when the target is empty)
    values_b4: np.ndarray        # float32 [B, 4]
    legal_row_l: np.ndarray      # int64 [L]: batch row of each legal-move entry
    legal_index_l: np.ndarray    # int64 [L]: policy index of a legal move
    legal_known_b: np.ndarray    # bool [B]: the sample's shard lists its legal moves

    @property
    def size(self) -> int:
        return self.planes_bchw.shape[0]

    def planes_float32(self) -> np.ndarray:
        """float32 planes as the model takes them (training itself moves uint8 eighths to the device
        and converts there: a quarter of the bytes to copy; see `training.loop.losses`)."""
        if self.planes_bchw.dtype == np.uint8:
            return self.planes_bchw.astype(np.float32) / np.float32(PLANE_UNITS)
        return self.planes_bchw


class ShardSet:
    """The samples of some shards, split into train and validation by game."""

    def __init__(self, paths: list[str], val_fraction: float = 0.05):
        if not paths:
            raise ValueError("no shards given")
        self.paths = list(paths)
        self.shards = [open_shard(p) for p in self.paths]
        shapes = {s["planes_nchw"].shape[1:] for s in self.shards}
        gsizes = {s["globals_nf"].shape[1] for s in self.shards}
        if len(shapes) != 1 or len(gsizes) != 1:
            raise ValueError(f"shards disagree on plane shape {shapes} or globals size {gsizes}")
        self.planes_chw = tuple(int(v) for v in shapes.pop())
        self.global_size = int(gsizes.pop())
        refs, scores = [], []
        for shard_id, shard in enumerate(self.shards):
            rows = np.arange(shard["planes_nchw"].shape[0], dtype=np.int64)
            refs.append((np.int64(shard_id) << _ROW_BITS) | rows)
            scores.append(split_score(shard["game_key_n"][:]))
        refs_n, scores_n = np.concatenate(refs), np.concatenate(scores)
        in_val = scores_n < np.uint64(round(val_fraction * 1_000_000))
        distinct = np.unique(scores_n)
        if 0 < val_fraction < 1 and len(distinct) >= 2:
            # small datasets: keep at least one game on each side (the lowest / highest scores)
            if not in_val.any():
                in_val = scores_n == distinct[0]
            elif in_val.all():
                in_val = scores_n != distinct[-1]
        self.train_refs = refs_n[~in_val]
        self.val_refs = refs_n[in_val]

    @property
    def max_policy_index(self) -> int:
        return max(int(s["policy_indices"].max(initial=-1)) for s in self.shards)

    def gather(self, refs: np.ndarray) -> Batch:
        """The samples `refs` (shard_id << 40 | row), grouped by shard; order within the batch is by shard."""
        refs = np.sort(refs)
        parts = []
        for shard_id in np.unique(refs >> _ROW_BITS):
            rows = refs[(refs >> _ROW_BITS) == shard_id] & ((1 << _ROW_BITS) - 1)
            parts.append(self._gather_rows(self.shards[int(shard_id)], rows))
        return _concat(parts)

    def _gather_rows(self, shard: dict, rows: np.ndarray) -> Batch:
        row_k, flat_k = _csr_rows(shard["policy_offsets"], rows)
        total = flat_k.shape[0]
        index_k = shard["policy_indices"][flat_k].astype(np.int64)
        prob_k = np.asarray(shard["policy_probs"][flat_k], dtype=np.float32)
        top_b = np.full(rows.shape[0], -1, dtype=np.int64)
        if total:
            order = np.lexsort((-prob_k, row_k))
            first = np.ones(total, dtype=bool)
            first[1:] = row_k[order][1:] != row_k[order][:-1]
            top_b[row_k[order][first]] = index_k[order][first]
        if "legal_offsets" in shard:
            legal_row_l, legal_flat_l = _csr_rows(shard["legal_offsets"], rows)
            legal_index_l = shard["legal_indices"][legal_flat_l].astype(np.int64)
        else:
            legal_row_l = legal_index_l = np.zeros(0, dtype=np.int64)
        known_b = np.full(rows.shape[0], "legal_offsets" in shard)
        return Batch(np.asarray(shard["planes_nchw"][rows]), np.asarray(shard["globals_nf"][rows]),
                     row_k, index_k, prob_k, top_b, np.asarray(shard["values_nseat"][rows]),
                     legal_row_l, legal_index_l, known_b)

    def train_chunks(self, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
        """One epoch's batches as sample refs, shuffled (the last partial batch is dropped unless it
        is the only one); `gather` turns a chunk into a Batch."""
        order = rng.permutation(self.train_refs)
        stop = max(len(order) - len(order) % batch_size, min(len(order), batch_size))
        return [order[start:start + batch_size] for start in range(0, stop, batch_size)]

    def train_batches(self, batch_size: int, rng: np.random.Generator):
        """One epoch of random batches over the training samples, gathered in this thread."""
        for chunk in self.train_chunks(batch_size, rng):
            yield self.gather(chunk)

    def val_batches(self, batch_size: int):
        for start in range(0, len(self.val_refs), batch_size):
            yield self.gather(self.val_refs[start:start + batch_size])


def _csr_rows(offsets: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(batch row of each entry, its position in the flat array) for the CSR segments of `rows`."""
    starts, ends = offsets[rows], offsets[rows + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    row_k = np.repeat(np.arange(rows.shape[0], dtype=np.int64), lengths)
    seg_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat_k = np.arange(total, dtype=np.int64) - np.repeat(seg_start, lengths) + np.repeat(starts, lengths)
    return row_k, flat_k


def _concat(parts: list[Batch]) -> Batch:
    if len(parts) == 1:
        return parts[0]
    if len({p.planes_bchw.dtype for p in parts}) > 1:          # shards of both storages in one batch
        parts = [replace(p, planes_bchw=p.planes_float32()) for p in parts]
    row_shift = np.cumsum([0] + [p.size for p in parts[:-1]])
    joined = lambda name: np.concatenate([getattr(p, name) for p in parts])
    shifted = lambda name: np.concatenate([getattr(p, name) + shift for p, shift in zip(parts, row_shift)])
    return Batch(joined("planes_bchw"), joined("globals_bg"), shifted("target_row_k"), joined("target_index_k"),
                 joined("target_prob_k"), joined("target_top_b"), joined("values_b4"), shifted("legal_row_l"),
                 joined("legal_index_l"), joined("legal_known_b"))


class Prefetcher:
    """Applies `produce` to each of `items` on `workers` background threads, up to `depth` results
    ahead, and yields the results in the order of `items` (so runs stay reproducible): worker w
    takes items w, w + workers, ... A worker's error is re-raised in the consumer at its place.
    numpy's gathers release the GIL, so threads add up."""

    _DONE = object()

    def __init__(self, items, produce=lambda item: item, depth: int = 4, workers: int = 1):
        items = list(items)
        self._stop = threading.Event()
        self._queues = [queue.Queue(maxsize=max(1, depth // workers)) for _ in range(workers)]
        self._threads = [threading.Thread(target=self._run, args=(items[w::workers], self._queues[w], produce),
                                          daemon=True, name=f"shard-prefetch-{w}") for w in range(workers)]
        for thread in self._threads:
            thread.start()

    def _put(self, q: queue.Queue, item) -> bool:
        while not self._stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self, my_items: list, q: queue.Queue, produce) -> None:
        try:
            for item in my_items:
                if not self._put(q, produce(item)):
                    return
            self._put(q, self._DONE)
        except BaseException as exc:   # handed to the consumer, which re-raises it
            self._put(q, exc)

    def __iter__(self):
        k = 0
        try:
            while True:
                item = self._queues[k % len(self._queues)].get()
                k += 1
                if item is self._DONE:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:                        # finished, failed or abandoned: no thread is left behind
            self.close()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
