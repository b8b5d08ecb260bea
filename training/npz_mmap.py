"""Memory-map the members of an uncompressed .npz without reading them.

`np.load(path, mmap_mode="r")` ignores mmap_mode for .npz archives and reads
each member whole. An .npz is a zip of .npy files; when the members are
*stored* (np.savez, not savez_compressed) each one sits contiguously in the
file, so it can be mapped at its offset: local file header, then the .npy
header, then the raw array bytes.
"""
from __future__ import annotations

import struct
import zipfile

import numpy as np

_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")   # 30 bytes, PK\x03\x04 ... name length, extra length
_LOCAL_MAGIC = b"PK\x03\x04"


def _member_data_offset(raw, info: zipfile.ZipInfo) -> int:
    raw.seek(info.header_offset)
    fields = _LOCAL_HEADER.unpack(raw.read(_LOCAL_HEADER.size))
    if fields[0] != _LOCAL_MAGIC:
        raise ValueError(f"{info.filename}: bad local header in zip")
    name_len, extra_len = fields[9], fields[10]
    return info.header_offset + _LOCAL_HEADER.size + name_len + extra_len


def map_npz(path: str) -> dict[str, np.ndarray]:
    """Every array of the .npz at `path` as a read-only np.memmap (0-d arrays are read)."""
    arrays: dict[str, np.ndarray] = {}
    with open(path, "rb") as raw, zipfile.ZipFile(raw) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                continue
            name = info.filename[:-4]
            if info.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"{path}: member {name!r} is compressed; shards must be written with np.savez")
            start = _member_data_offset(raw, info)
            raw.seek(start)
            version = np.lib.format.read_magic(raw)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(raw)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(raw)
            if dtype.hasobject:
                raise ValueError(f"{path}: member {name!r} holds Python objects; refusing to unpickle")
            data_offset = raw.tell()
            if data_offset - start + dtype.itemsize * int(np.prod(shape)) > info.file_size:
                raise ValueError(f"{path}: member {name!r} is truncated")
            if int(np.prod(shape)) == 0 or len(shape) == 0:
                raw.seek(data_offset)
                count = int(np.prod(shape))
                arr = np.frombuffer(raw.read(dtype.itemsize * count), dtype=dtype, count=count)
                arrays[name] = arr.reshape(shape, order="F" if fortran else "C")
                continue
            arrays[name] = np.memmap(path, dtype=dtype, mode="r", offset=data_offset, shape=shape,
                                     order="F" if fortran else "C")
    return arrays
