"""A Celery worker process that counts its threads asleep in time.sleep, for bench.fleet.

    python -m bench.watched_worker REPORT_FILE [celery worker options]

On exit it writes the most threads that slept at the same moment to REPORT_FILE.
"""

import sys
from pathlib import Path

from bench.sleep_watch import SleepWatch


def main() -> None:
    report_file, options = Path(sys.argv[1]), sys.argv[2:]
    import django

    django.setup()
    from dashboard.celery import app

    with SleepWatch() as sleeps:
        try:
            app.worker_main(["worker", *options])
        finally:
            report_file.write_text(str(sleeps.most))


if __name__ == "__main__":
    main()
