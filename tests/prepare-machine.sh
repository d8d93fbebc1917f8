#!/usr/bin/env bash
# What the test suite needs from the machine, installed or started by `make test` itself:
#   - Python 3.11+ with venv (the Makefile makes .venv with it),
#   - Chromium at $CHROMIUM_PATH or /usr/bin/chromium (the browser tests drive it),
#   - redis-server (the tests start their own, on a free port; not needed with TEST_REDIS_URL),
#   - a PostgreSQL server at TEST_POSTGRES_URL (the concurrency tests, and `make test-postgres`, run on a
#     database of their own there), started when it is local and does not answer.
# As root, what is missing is installed with apt-get and the local cluster is started; otherwise one line
# says what to do, and the command fails: a test never skips for want of a part.
set -euo pipefail

PYTHON=${PYTHON:-python3}
TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgresql://postgres:postgres@127.0.0.1:5432/postgres}

say() { printf 'prepare-machine: %s\n' "$*"; }
answers() { timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  say "Python 3.11 or newer is required as $PYTHON (found: $("$PYTHON" --version 2>&1))."
  exit 1
}

# The host, port, user and password of TEST_POSTGRES_URL.
{ read -r pg_host; read -r pg_port; read -r pg_user; read -r pg_password; } < <(
  "$PYTHON" - "$TEST_POSTGRES_URL" <<'PY'
import sys
from urllib.parse import unquote, urlsplit

url = urlsplit(sys.argv[1])
for part in (url.hostname or "127.0.0.1", url.port or 5432, unquote(url.username or ""), unquote(url.password or "")):
    print(part)
PY
)
pg_user=${pg_user:-postgres}

missing=()
[ -x .venv/bin/python ] || "$PYTHON" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
chromium=${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}
[ -x "$chromium" ] || missing+=(chromium)
[ -n "${TEST_REDIS_URL:-}" ] || command -v redis-server >/dev/null || missing+=(redis-server)
start_postgres=false
if ! answers "$pg_host" "$pg_port"; then
  case $pg_host in
    127.0.0.1 | localhost | ::1) start_postgres=true ;;
    *) say "no PostgreSQL answers at $pg_host:$pg_port (TEST_POSTGRES_URL): start it, or set TEST_POSTGRES_URL."; exit 1 ;;
  esac
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
fi

if [ "$(id -u)" -ne 0 ] && { [ ${#missing[@]} -gt 0 ] || $start_postgres; }; then
  todo=${missing[*]:+apt-get install -y ${missing[*]}}
  if $start_postgres; then todo="${todo:+$todo, then }pg_ctlcluster <version> main start (PostgreSQL on port $pg_port)"; fi
  say "as root, run $todo; then make test again."
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if $start_postgres; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  say "starting PostgreSQL $version on port $pg_port"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start -- -o "-p $pg_port"
  for _ in $(seq 100); do answers "$pg_host" "$pg_port" && break; sleep 0.1; done
  answers "$pg_host" "$pg_port" || { say "PostgreSQL did not start on port $pg_port."; exit 1; }
  # A fresh cluster asks for a password over TCP: give TEST_POSTGRES_URL's user the URL's password.
  if [ -n "$pg_password" ]; then
    su postgres -c "psql -q -p $pg_port" <<SQL
ALTER USER "$pg_user" PASSWORD '${pg_password//\'/\'\'}';
SQL
  fi
fi
say "ready: $("$PYTHON" --version), Chromium at $chromium, redis-server, PostgreSQL at $pg_host:$pg_port"
