"""The shard writer: standard .npz that np.load, zipfile and the training memory map all read,
byte-identical for identical arrays, streamable in blocks, 64-byte aligned data."""
from __future__ import annotations

import hashlib
import io
import zipfile

import numpy as np
import pytest

from ringrift_lake.export.npz_writer import NpzStreamWriter, write_npz
from training.npz_mmap import map_npz


def _arrays():
    rng = np.random.default_rng(3)
    return {
        "planes_nchw": rng.random((7, 3, 5, 5), dtype=np.float32),
        "policy_offsets": np.arange(8, dtype=np.int64),
        "empty": np.zeros(0, dtype=np.int32),
        "player_to_move_n": np.array([1, 2, 1, 2, 1, 2, 1], dtype=np.int8),
    }


def test_round_trip_through_np_load_zipfile_and_the_training_memory_map(tmp_path):
    arrays = _arrays()
    buffer = io.BytesIO()
    digest = write_npz(buffer, arrays)
    path = tmp_path / "shard.npz"
    path.write_bytes(buffer.getvalue())
    assert digest == hashlib.sha256(buffer.getvalue()).hexdigest()
    assert zipfile.ZipFile(path).testzip() is None
    assert all(i.compress_type == zipfile.ZIP_STORED for i in zipfile.ZipFile(path).infolist())
    with np.load(path) as loaded:
        for name, array in arrays.items():
            assert loaded[name].dtype == array.dtype and np.array_equal(loaded[name], array)
    mapped = map_npz(str(path))
    for name, array in arrays.items():
        assert np.array_equal(mapped[name], array)
        if isinstance(mapped[name], np.memmap):
            assert mapped[name].offset % 64 == 0


def test_identical_arrays_give_identical_bytes_and_streaming_equals_whole():
    first, second = io.BytesIO(), io.BytesIO()
    assert write_npz(first, _arrays()) == write_npz(second, _arrays())
    assert first.getvalue() == second.getvalue()
    arrays = _arrays()
    streamed = io.BytesIO()
    with NpzStreamWriter(streamed) as npz:
        npz.begin("planes_nchw", np.float32, arrays["planes_nchw"].shape)
        for block in np.array_split(arrays["planes_nchw"], 3):
            npz.write(block)
        npz.end()
        for name in ("policy_offsets", "empty", "player_to_move_n"):
            npz.add(name, arrays[name])
    assert streamed.getvalue() == first.getvalue()
    changed = _arrays()
    changed["planes_nchw"][3, 1, 2, 2] += 1
    assert write_npz(io.BytesIO(), changed) != write_npz(io.BytesIO(), _arrays())


def test_a_short_member_is_refused():
    npz = NpzStreamWriter(io.BytesIO())
    npz.begin("x", np.float32, (4,))
    npz.write(np.zeros(3, np.float32))
    with pytest.raises(ValueError):
        npz.end()
