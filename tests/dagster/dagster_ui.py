"""A real `dagster-webserver` + `dagster-daemon` pair for the ui tests, and a tiny GraphQL client.

Both are exec'd through scripts/sigint_exec.py (SIGINT restored), each in its
own session, so SIGTERM stops each cleanly and `stop()` can check that no
process of either group is left.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class DagsterUI:
    def __init__(self, home: Path, env: dict[str, str], port: int, logs: Path):
        self.home, self.env, self.port, self.logs = home, env, port, logs
        self.processes: dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = open(self.logs / f"{name}.log", "wb")
        launcher = [sys.executable, str(REPO / "scripts" / "sigint_exec.py")]
        self.processes[name] = subprocess.Popen(launcher + argv, cwd=REPO, env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def start(self, timeout_s: float = 240) -> list[str]:
        """Start the webserver, wait until the code location loaded, then the daemon (on a fresh
        DAGSTER_HOME both would otherwise create the SQLite schema at once). Returns the asset keys."""
        workspace = str(REPO / "workspace.yaml")
        self._spawn("webserver", [str(BIN / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1",
                                  "-p", str(self.port)])
        assets = self.wait_ready(timeout_s)
        self._spawn("daemon", [str(BIN / "dagster-daemon"), "run", "-w", workspace])
        return assets

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(f"{self.url}/graphql", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.loads(response.read())
        if payload.get("errors"):
            raise RuntimeError(f"GraphQL errors: {payload['errors']}")
        return payload["data"]

    def wait_for(self, what: str, probe, timeout_s: float, every_s: float = 2.0):
        """Poll `probe()` until it returns something truthy; fail with `what` and the logs otherwise."""
        end = time.monotonic() + timeout_s
        last_error = None
        while time.monotonic() < end:
            self.check_alive()
            try:
                value = probe()
                if value:
                    return value
            except (urllib.error.URLError, ConnectionError, OSError, RuntimeError) as exc:
                last_error = exc
            time.sleep(every_s)
        raise AssertionError(f"gave up waiting for {what} after {timeout_s:.0f}s (last error: {last_error})\n"
                             f"--- webserver ---\n{self.log_tail('webserver')}\n"
                             f"--- daemon ---\n{self.log_tail('daemon')}")

    def wait_ready(self, timeout_s: float = 240) -> list[str]:
        """Wait until the code location has loaded; returns its asset keys."""
        def probe():
            nodes = self.graphql("{ assetNodes { assetKey { path } } }")["assetNodes"]
            return ["/".join(n["assetKey"]["path"]) for n in nodes]
        return self.wait_for("the code location to load", probe, timeout_s)

    def stop(self, timeout_s: float = 90) -> dict[str, int]:
        """SIGTERM each process and wait; returns the exit codes. Raises if anything had to be killed."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        codes, killed = {}, []
        deadline = time.monotonic() + timeout_s
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                killed.append(name)
            while _group_alive(process.pid) and time.monotonic() < deadline:
                time.sleep(0.5)   # children (code server, run workers) finish their own shutdown
            if _group_alive(process.pid):
                killed.append(f"{name} group")
                os.killpg(process.pid, signal.SIGKILL)
        if killed:
            for process in self.processes.values():
                if process.poll() is None:
                    process.kill()
            raise AssertionError(f"had to SIGKILL {killed}: not a clean stop")
        return codes


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


RUNS_QUERY = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    ... on Runs { results { runId jobName status tags { key value } } }
  }
}
"""


def runs(ui: DagsterUI, job_name: str | None = None) -> list[dict]:
    variables = {"filter": {"pipelineName": job_name}} if job_name else {}
    results = ui.graphql(RUNS_QUERY, variables)["runsOrError"]["results"]
    for run in results:
        run["tags"] = {t["key"]: t["value"] for t in run["tags"]}
    return results


OBSERVATIONS_QUERY = """
query Obs($key: AssetKeyInput!) {
  assetOrError(assetKey: $key) {
    ... on Asset { assetObservations(limit: 20) { partition tags { key value } } }
  }
}
"""


def observations(ui: DagsterUI, asset: str) -> list[dict]:
    data = ui.graphql(OBSERVATIONS_QUERY, {"key": {"path": [asset]}})["assetOrError"]
    return data.get("assetObservations") or []
