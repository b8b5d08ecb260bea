#!/usr/bin/env bash
# PostgreSQL server binaries for the tests of the Postgres-backed Dagster instance (Debian's package).
# The test fixture (tests/postgres_server.py) runs its own server from them: initdb into a temporary
# folder, a free loopback port, torn down after the session. So no system cluster is wanted: Debian's
# default "main" cluster is not created. Does nothing when a pg_ctl is already installed.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO mkdir -p /etc/postgresql-common
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
$SUDO apt-get update -q
$SUDO apt-get install -y -q postgresql
ls /usr/lib/postgresql/*/bin/pg_ctl
