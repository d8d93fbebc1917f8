#!/usr/bin/env bash
# What the test suite needs from the machine, installed or started by `make test` itself:
#   - Python 3.11+ with venv (the Makefile makes .venv with it),
#   - Chromium at $CHROMIUM_PATH or /usr/bin/chromium (the browser tests drive it),
#   - redis-server (the tests start their own, on a free port; not needed with TEST_REDIS_URL),
#   - a PostgreSQL server at TEST_POSTGRES_URL (the suite, or its concurrency tests, run on a database of
#     their own there), started when it is local and does not answer.
# As root, what is missing is installed with apt-get; otherwise one line says what to install, and the
# command fails: a test never skips for want of a part.
set -euo pipefail

PYTHON=${PYTHON:-python3}
TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}

say() { printf 'prepare-machine: %s\n' "$*"; }

# The host, port, user and password of TEST_POSTGRES_URL, one per line.
read_postgres_url() {
  "$PYTHON" - "$TEST_POSTGRES_URL" <<'PY'
import sys
from urllib.parse import unquote, urlsplit

url = urlsplit(sys.argv[1])
print(url.hostname or "127.0.0.1", url.port or 5432, unquote(url.username or "postgres"), unquote(url.password or ""), sep="\n")
PY
}

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  say "Python 3.11 or newer is required as $PYTHON (found $("$PYTHON" --version 2>&1))."
  exit 1
}

{ read -r pg_host; read -r pg_port; read -r pg_user; read -r pg_password; } < <(read_postgres_url)
pg_local=false
case $pg_host in 127.0.0.1 | localhost | ::1) pg_local=true ;; esac

missing=()
[ -x .venv/bin/python ] || "$PYTHON" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
chromium=${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}
[ -x "$chromium" ] || missing+=(chromium)
[ -n "${TEST_REDIS_URL:-}" ] || command -v redis-server >/dev/null || missing+=(redis-server)
if ! answers "$pg_host" "$pg_port"; then
  if ! $pg_local; then
    say "No PostgreSQL answers at $pg_host:$pg_port (TEST_POSTGRES_URL); start it, or point TEST_POSTGRES_URL at one."
    exit 1
  fi
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    say "missing: ${missing[*]}. Install them (as root: apt-get install -y ${missing[*]}) and run make test again."
    exit 1
  fi
  say "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! answers "$pg_host" "$pg_port"; then
  if [ "$(id -u)" -ne 0 ]; then
    say "PostgreSQL does not answer at $pg_host:$pg_port. Start it (as root: pg_ctlcluster <version> main start) and run make test again."
    exit 1
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version on port $pg_port"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start -- -o "-p $pg_port"
  for _ in $(seq 100); do answers "$pg_host" "$pg_port" && break; sleep 0.1; done
  answers "$pg_host" "$pg_port" || { say "PostgreSQL did not start on port $pg_port."; exit 1; }
  # A fresh cluster asks for a password over TCP: give TEST_POSTGRES_URL's user its password.
  if [ -n "$pg_password" ]; then
    su postgres -c "psql -q -p $pg_port" <<SQL
ALTER USER "$pg_user" PASSWORD '$pg_password';
SQL
  fi
fi
say "ready: chromium at $chromium, redis-server ${TEST_REDIS_URL:+(not needed: TEST_REDIS_URL)}, PostgreSQL at $pg_host:$pg_port"
