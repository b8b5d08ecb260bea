"""A deterministic writer of uncompressed .npz files onto any writable byte stream.

`np.savez` stamps each member with the current time, so two exports of the same data differ in
bytes. This writer produces a standard zip (read by `np.load`, `zipfile`, and the training
loader's memory map) whose bytes depend only on the arrays: members are stored (not compressed)
in the given order, with a fixed timestamp, Zip64 sizes, and the local header padded so each
array's data starts at a 64-byte boundary of the file (aligned memory maps). The SHA-256 of the
bytes written is computed on the way out.
"""
from __future__ import annotations

import hashlib
import io
import struct
import zlib

import numpy as np

ALIGN = 64
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0          # 1980-01-01 00:00:00
_VERSION = 45                                              # Zip64
_PAD_EXTRA_ID = 0xA11C                                     # private "alignment padding" extra field
_U32 = 0xFFFFFFFF


class _HashingWriter:
    def __init__(self, stream):
        self.stream, self.sha256, self.offset = stream, hashlib.sha256(), 0

    def write(self, data) -> None:
        view = memoryview(data).cast("B")
        self.stream.write(view)
        self.sha256.update(view)
        self.offset += view.nbytes


def _npy_header(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, np.lib.format.header_data_from_array_1_0(array))
    return buffer.getvalue()


def write_npz(stream, arrays: dict[str, np.ndarray]) -> str:
    """Write `arrays` (name -> C-contiguous, non-object array) as an .npz to `stream`; returns its sha256 hex."""
    out = _HashingWriter(stream)
    central = []
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.hasobject:
            raise TypeError(f"{name}: object arrays cannot go into a shard")
        header, payload = _npy_header(array), memoryview(array).cast("B") if array.size else b""
        size = len(header) + len(payload)
        crc = zlib.crc32(payload, zlib.crc32(header))
        filename = f"{name}.npy".encode()
        zip64 = struct.pack("<HHQQ", 0x0001, 16, size, size)
        fixed = 30 + len(filename) + len(zip64)
        pad = (-(out.offset + fixed + 4 + len(header))) % ALIGN
        extra = zip64 + struct.pack("<HH", _PAD_EXTRA_ID, pad) + b"\0" * pad
        offset = out.offset
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, 0, 0, _DOS_TIME, _DOS_DATE, crc,
                              _U32, _U32, len(filename), len(extra)))
        out.write(filename)
        out.write(extra)
        out.write(header)
        if len(payload):
            out.write(payload)
        central.append((filename, crc, size, offset))
    cd_start = out.offset
    for filename, crc, size, offset in central:
        extra = struct.pack("<HHQQQ", 0x0001, 24, size, size, offset)
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, _VERSION, 0, 0, _DOS_TIME, _DOS_DATE,
                              crc, _U32, _U32, len(filename), len(extra), 0, 0, 0, 0o100644 << 16, _U32))
        out.write(filename)
        out.write(extra)
    cd_size, zip64_end = out.offset - cd_start, out.offset
    count = len(central)
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, _VERSION, _VERSION, 0, 0, count, count, cd_size, cd_start))
    out.write(struct.pack("<IIQI", 0x07064B50, 0, zip64_end, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                          min(cd_size, _U32), min(cd_start, _U32), 0))
    return out.sha256.hexdigest()
