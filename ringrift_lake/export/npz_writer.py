"""A deterministic, streaming writer of uncompressed .npz files onto any writable byte stream.

`np.savez` stamps each member with the current time, so two exports of the same data differ in
bytes, and it needs every array in memory. This writer produces a standard zip (read by
`np.load`, `zipfile`, and the training loader's memory map) whose bytes depend only on the
arrays: members are stored (not compressed) in the order written, with a fixed timestamp and
Zip64 sizes; each member's local header is padded so its array data starts at a 64-byte boundary
of the file (aligned memory maps). A member's data may be streamed in blocks (`begin`, `write`,
`end`), so a shard never has to be in memory whole; its CRC and sizes follow the data in a data
descriptor and in the central directory. The SHA-256 of all bytes written is kept on the way.

    with NpzStreamWriter(stream) as npz:
        npz.begin("planes_nchw", np.float32, (n, c, h, w))
        for block in blocks: npz.write(block)
        npz.end()
        npz.add("value_n", value_n)
    npz.sha256  # hex digest of the file
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
_FLAG_DATA_DESCRIPTOR = 0x0008
_PAD_EXTRA_ID = 0xA11C                                     # private "alignment padding" extra field
_U32 = 0xFFFFFFFF


def _npy_header(dtype, shape) -> bytes:
    buffer = io.BytesIO()
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False,
              "shape": tuple(int(v) for v in shape)}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


class NpzStreamWriter:
    def __init__(self, stream):
        self._stream, self._hash, self._offset = stream, hashlib.sha256(), 0
        self._central: list[tuple[bytes, int, int, int]] = []
        self._member = None            # [filename, offset, crc, size, expected size] of the open member
        self.sha256: str | None = None

    def _out(self, data) -> None:
        view = memoryview(data).cast("B")
        self._stream.write(view)
        self._hash.update(view)
        self._offset += view.nbytes

    def begin(self, name: str, dtype, shape) -> None:
        """Start member `name` holding a C-order array of `dtype` and `shape`; then `write` its data."""
        if self._member is not None:
            raise RuntimeError(f"member {self._member[0]!r} is still open")
        dtype = np.dtype(dtype)
        if dtype.hasobject:
            raise TypeError(f"{name}: object arrays cannot go into an npz shard")
        filename, header = f"{name}.npy".encode(), _npy_header(dtype, shape)
        zip64 = struct.pack("<HHQQ", 0x0001, 16, 0, 0)
        fixed = 30 + len(filename) + len(zip64) + 4
        pad = (-(self._offset + fixed + len(header))) % ALIGN
        extra = zip64 + struct.pack("<HH", _PAD_EXTRA_ID, pad) + b"\0" * pad
        offset = self._offset
        self._out(struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, _FLAG_DATA_DESCRIPTOR, 0, _DOS_TIME,
                              _DOS_DATE, 0, _U32, _U32, len(filename), len(extra)))
        self._out(filename)
        self._out(extra)
        self._out(header)
        expected = len(header) + dtype.itemsize * int(np.prod(shape, dtype=np.int64))
        self._member = [filename, offset, zlib.crc32(header), len(header), expected]

    def write(self, block: np.ndarray) -> None:
        """Append C-contiguous array data to the open member."""
        block = np.ascontiguousarray(block)
        if block.size:
            view = memoryview(block).cast("B")
            self._member[2] = zlib.crc32(view, self._member[2])
            self._member[3] += view.nbytes
            self._out(view)

    def end(self) -> None:
        filename, offset, crc, size, expected = self._member
        if size != expected:
            raise ValueError(f"{filename.decode()}: wrote {size} bytes, the header promised {expected}")
        self._out(struct.pack("<IIQQ", 0x08074B50, crc, size, size))
        self._central.append((filename, crc, size, offset))
        self._member = None

    def add(self, name: str, array: np.ndarray) -> None:
        """A whole array as one member."""
        array = np.ascontiguousarray(array)
        self.begin(name, array.dtype, array.shape)
        self.write(array)
        self.end()

    def close(self) -> str:
        """Write the central directory; returns the file's sha256 hex digest."""
        if self._member is not None:
            raise RuntimeError(f"member {self._member[0]!r} is still open")
        cd_start = self._offset
        for filename, crc, size, offset in self._central:
            extra = struct.pack("<HHQQQ", 0x0001, 24, size, size, offset)
            self._out(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, _VERSION, _FLAG_DATA_DESCRIPTOR, 0,
                                  _DOS_TIME, _DOS_DATE, crc, _U32, _U32, len(filename), len(extra), 0, 0, 0,
                                  0o100644 << 16, _U32))
            self._out(filename)
            self._out(extra)
        cd_size, zip64_end, count = self._offset - cd_start, self._offset, len(self._central)
        self._out(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, _VERSION, _VERSION, 0, 0, count, count, cd_size, cd_start))
        self._out(struct.pack("<IIQI", 0x07064B50, 0, zip64_end, 1))
        self._out(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                              min(cd_size, _U32), min(cd_start, _U32), 0))
        self.sha256 = self._hash.hexdigest()
        return self.sha256

    def __enter__(self) -> "NpzStreamWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()


def write_npz(stream, arrays: dict[str, np.ndarray]) -> str:
    """Write `arrays` (name -> array) as an .npz to `stream`, in dict order; returns its sha256 hex."""
    with NpzStreamWriter(stream) as npz:
        for name, array in arrays.items():
            npz.add(name, array)
    return npz.sha256
