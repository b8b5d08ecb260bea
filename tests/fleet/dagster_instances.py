"""The Dagster instances the fleet's sensor tests run on: the embedded one and the PostgreSQL one
(dagster_home/postgres/dagster.yaml on the real server of the `postgres_server` fixture)."""
from __future__ import annotations

import uuid

import dagster as dg
import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def dagster_instance(request, tmp_path, monkeypatch) -> dg.DagsterInstance:
    if request.param == "sqlite":
        return dg.DagsterInstance.ephemeral()
    server = request.getfixturevalue("postgres_server")
    return server.dagster_instance(tmp_path / "dagster_home", f"t_{uuid.uuid4().hex[:12]}", monkeypatch)
