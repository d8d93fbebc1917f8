"""`python -m bench` (`make bench`): every benchmark of the performance issue, each in its own process, and
one table of the results (with --markdown, the table the README's Performance section holds).

    python -m bench [--markdown] [name ...]
"""

import subprocess
import sys
import time

from bench import report

BENCHMARKS = (
    "endpoint_list", "overview", "watchers", "fleet", "streaming", "database_pool", "compare",
    "chat_template", "image_save", "analytics",
)  # fmt: skip


def main() -> None:
    names = [argument for argument in sys.argv[1:] if not argument.startswith("--")] or list(BENCHMARKS)
    rows: list[report.Row] = []
    at_start = report.machine()
    for name in names:
        started = time.monotonic()
        print(f"running bench.{name} ...", file=sys.stderr, flush=True)
        finished = subprocess.run(
            [sys.executable, "-m", f"bench.{name}", "--json"], capture_output=True, text=True, check=False
        )
        if finished.returncode != 0:
            print(finished.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"bench.{name} failed")
        rows += report.from_json(finished.stdout.strip().splitlines()[-1])
        print(f"  done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(f"{at_start} (at start); {report.machine()} (at the end)")
    print(report.markdown(rows) if "--markdown" in sys.argv else report.table(rows))
    print(report.machine())


if __name__ == "__main__":
    main()
