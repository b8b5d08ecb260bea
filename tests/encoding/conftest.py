"""Fixtures of the encoding/export tests (helpers live in reference_lake.py)."""
from __future__ import annotations

import pytest

from reference_lake import put_games, reference_records


@pytest.fixture
def square8_lake(local_lake):
    """A local lake with the first 6 square8_2p and 3 hex8_3p reference games."""
    put_games(local_lake, "square8_2p", reference_records("square8_2p")[:6])
    put_games(local_lake, "hex8_3p", reference_records("hex8_3p")[:3])
    return local_lake
