#!/usr/bin/env bash
# The Dagster UI and daemon for this repository, on 127.0.0.1 only.
#   scripts/ui.sh            UI on http://127.0.0.1:3000 (RINGRIFT_UI_PORT to change)
# Ctrl-C or SIGTERM stops the webserver, the daemon and the code server cleanly.
# DAGSTER_HOME defaults to the repository's dagster_home/ (instance config in dagster.yaml);
# RINGRIFT_LAKE picks the lake (default ./lake, or s3://bucket/prefix with the AWS_* variables).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export DAGSTER_HOME=${DAGSTER_HOME:-$PWD/dagster_home}
export RINGRIFT_LAKE=${RINGRIFT_LAKE:-$PWD/lake}
PORT=${RINGRIFT_UI_PORT:-3000}
mkdir -p "$DAGSTER_HOME"
echo "Dagster UI: http://127.0.0.1:$PORT  (DAGSTER_HOME=$DAGSTER_HOME, lake=$RINGRIFT_LAKE)"
exec "$VENV/bin/python" scripts/sigint_exec.py "$VENV/bin/dagster" dev -w workspace.yaml -h 127.0.0.1 -p "$PORT"
