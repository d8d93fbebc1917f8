"""Settings for the test suite: the real stack on this machine, isolated from a developer's own data.

The suite runs on a SQLite file by default, or on the database server named by TEST_DATABASE_URL (a
PostgreSQL URL: the suite creates and drops a database of its own there).

The test session's hubsim port is chosen here, before huggingface_hub or transformers are imported, because
both read HF_ENDPOINT once at import time (huggingface_hub/constants.py sets its ENDPOINT from it).
"""

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_SCRATCH = Path(tempfile.mkdtemp(prefix="console-tests-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)

os.environ.setdefault("HUBSIM_PORT", str(_free_port()))
HUBSIM_URL = f"http://127.0.0.1:{os.environ['HUBSIM_PORT']}"
os.environ["HF_ENDPOINT"] = HUBSIM_URL
os.environ["HF_ENDPOINTS_API_URL"] = f"{HUBSIM_URL}/v2"
os.environ["HF_INFERENCE_CATALOG_URL"] = f"{HUBSIM_URL}/api/catalog"
os.environ["HF_HOME"] = str(_SCRATCH / "hf-home")  # an empty cache: tokenizers really come from hubsim
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HUBSIM_CACHE_DIR"] = os.environ.get("HUBSIM_CACHE_DIR", str(_SCRATCH / "hubsim-cache"))
# The session's own redis-server on a free port (tests/fixtures/redis_server.py starts it, and stops it to
# prove the console survives an outage), or TEST_REDIS_URL when given.
os.environ.setdefault("TEST_REDIS_PORT", str(_free_port()))
os.environ["REDIS_URL"] = (
    os.environ.get("TEST_REDIS_URL") or f"redis://127.0.0.1:{os.environ['TEST_REDIS_PORT']}/0"
)
os.environ["VAR_DIR"] = str(_SCRATCH / "var")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("DJANGO_ENV", None)

import dj_database_url  # noqa: E402

from dashboard.settings import *  # noqa: E402, F403
from dashboard.settings import DATABASES, VAR_DIR, pooled  # noqa: E402

DEBUG = False
if os.environ.get("TEST_DATABASE_URL"):
    # Connections from a pool, as the web processes take them.
    DATABASES["default"] = pooled(dj_database_url.parse(os.environ["TEST_DATABASE_URL"]))
    # A database of this run's own, as the SQLite file is: runs at the same time (of one checkout or of
    # several) do not collide. The run drops it at the end; a run that was killed leaves it behind.
    DATABASES["default"]["TEST"] = {"NAME": f"test_console_{os.getpid()}"}
else:
    # A file, not memory: the Celery worker, the ASGI server and subprocesses share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BEAT_SCHEDULE = {}  # tests call periodic tasks themselves
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30}

# hubsim deploys in 0.3 s in tests: look often, retry fast, pick up abandoned work quickly.
OPERATION_POLL_INITIAL_SECONDS = 0.05
OPERATION_POLL_FACTOR = 1.5
OPERATION_POLL_MAX_SECONDS = 0.3
OPERATION_LISTING_MAX_AGE_SECONDS = 0.05
OPERATION_TIMEOUT_SECONDS = 60
RECONCILE_GRACE_SECONDS = 3
HF_API_RETRY_BASE_SECONDS = 0.05
HF_API_RETRY_MAX_SECONDS = 0.2
HF_API_TIMEOUT_SECONDS = 10.0

# The playground retries a waking endpoint quickly, and asks hubsim to hold requests only briefly.
PLAYGROUND_WAKE_RETRY_SECONDS = 0.05
PLAYGROUND_SCALE_UP_WAIT_SECONDS = 5.0
PLAYGROUND_WAKE_TIMEOUT_SECONDS = 20.0
PLAYGROUND_READ_TIMEOUT_SECONDS = 20.0

# Rate limits are tested on their own (they set small values); other tests act as often as they need.
RATE_LIMIT_ACTIONS_PER_MINUTE = 10_000
RATE_LIMIT_PLAYGROUND_PER_MINUTE = 10_000
