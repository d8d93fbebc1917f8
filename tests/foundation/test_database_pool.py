"""PostgreSQL connections come from a pool in each process, and a streaming answer's database trips hand
theirs back. Each case runs `manage.py shell` on the PostgreSQL server with the settings as deployed (the
test suite's own settings keep one connection per request)."""

import os

import pytest

from tests.foundation.test_settings import run_manage

SERVER_DATABASE = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)

# Ten requests' worth of work, each connection closed as a request's end closes it: how many backends served
# them (a pool opens its first connection in the background, and may open a second while the first starts).
BACKENDS = """
from django.db import connection
def backend():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    connection.close()
    return pid
print(len({backend() for _ in range(10)}), "backends")
"""

# A trip of the streaming answer's kind (or a plain sync_to_async one), then whether the thread it ran on
# (asgiref's, which outlives it) still holds a connection of the pool.
HELD_AFTER_A_TRIP = """
import asyncio
from asgiref.sync import sync_to_async
from django.db import connection
from playground_app.database_trips import database_trip
def query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
asyncio.run({trip}(query)())
still_held = asyncio.run(sync_to_async(lambda: connection.connection is not None)())
print("kept" if still_held else "handed back")
"""


def shell(code: str, tmp_path, **env: str) -> str:
    result = run_manage("shell", "-c", code, DATABASE_URL=SERVER_DATABASE, VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_process_reuses_its_postgresql_connections(tmp_path) -> None:
    assert shell(BACKENDS, tmp_path) in ("1 backends", "2 backends")  # the default pool


def test_without_a_pool_each_request_connects_anew(tmp_path) -> None:
    assert shell(BACKENDS, tmp_path, DB_POOL_MAX_SIZE="0") == "10 backends"


@pytest.mark.parametrize(("trip", "held"), [("database_trip", "handed back"), ("sync_to_async", "kept")])
def test_a_streaming_answers_database_trip_hands_its_connection_back(tmp_path, trip: str, held: str) -> None:
    assert shell(HELD_AFTER_A_TRIP.format(trip=trip), tmp_path, DB_POOL_MAX_SIZE="20") == held
