"""A real PostgreSQL server for the tests (Debian's binaries: scripts/install_postgres.sh).

    server = start_postgres()            # initdb into a fresh temporary folder, start on a free loopback port
    env = server.env(server.new_database("t1"))   # the DAGSTER_PG_* variables of a fresh database
    instance = server.dagster_instance(tmp_dir, "t1")   # a DagsterInstance from dagster_home/postgres/dagster.yaml
    stop_postgres(server)                # fast shutdown, folder removed

PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user (created by
Debian's package) via `runuser`, in a folder that user owns. Password authentication over TCP
(scram-sha-256), so the password in DAGSTER_PG_PASSWORD is really used.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
USER, PASSWORD = "ringrift", "ringrift-pg-secret"


def _bindir() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return os.path.dirname(found[-1])
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return os.path.dirname(os.path.realpath(pg_ctl))
    pytest.skip("PostgreSQL binaries not found (bash scripts/install_postgres.sh)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PostgresServer:
    bindir: str
    folder: str
    port: int
    run_as: str | None           # system user the server runs as (when the tests run as root)

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [os.path.join(self.bindir, argv[0]), *argv[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, cwd=self.folder,
                              env={**os.environ, "PGPASSWORD": PASSWORD})

    def new_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name)
        return name

    def env(self, database: str) -> dict[str, str]:
        return {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(self.port), "DAGSTER_PG_USERNAME": USER,
                "DAGSTER_PG_PASSWORD": PASSWORD, "DAGSTER_PG_DB": database}

    def dagster_home(self, folder: Path) -> Path:
        """A DAGSTER_HOME holding the repository's Postgres instance config."""
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "dagster_home" / "postgres" / "dagster.yaml", folder / "dagster.yaml")
        return folder

    def dagster_instance(self, folder: Path, database: str, monkeypatch):
        """A DagsterInstance on a fresh database, configured by dagster_home/postgres/dagster.yaml and
        the DAGSTER_PG_* variables (set in os.environ through monkeypatch)."""
        import dagster as dg

        for key, value in self.env(self.new_database(database)).items():
            monkeypatch.setenv(key, value)
        return dg.DagsterInstance.from_config(str(self.dagster_home(folder)))


def start_postgres() -> PostgresServer:
    bindir = _bindir()
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run the server as")
        run_as = "postgres"
    folder = tempfile.mkdtemp(prefix="ringrift-pg-")
    if run_as:
        shutil.chown(folder, user=run_as)
    with open(os.path.join(folder, "pwfile"), "w") as out:
        out.write(PASSWORD + "\n")
    if run_as:
        shutil.chown(os.path.join(folder, "pwfile"), user=run_as)
    for attempt in range(3):
        server = PostgresServer(bindir, folder, _free_port(), run_as)
        if attempt == 0:
            server._run("initdb", "-D", f"{folder}/data", "-U", USER, f"--pwfile={folder}/pwfile", "-E", "UTF8",
                        "--auth-host=scram-sha-256", "--auth-local=trust", "--no-sync")
        options = f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        started = server._run("pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/server.log", "-o", options,
                              "-w", "-t", "60", "start", check=False)
        if started.returncode == 0:
            return server
        time.sleep(0.5)   # the port was taken between the check and the bind: another one
    log = Path(folder, "server.log").read_text(errors="replace")[-2000:] if Path(folder, "server.log").exists() else ""
    raise RuntimeError(f"postgres did not start: {started.stderr}\n{log}")


def stop_postgres(server: PostgresServer) -> None:
    server._run("pg_ctl", "-D", f"{server.folder}/data", "-m", "fast", "-w", "stop", check=False)
    shutil.rmtree(server.folder, ignore_errors=True)
