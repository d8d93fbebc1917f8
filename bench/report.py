"""A benchmark's result rows and the table they print as (each figure with its baseline of the same run)."""

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Row:
    benchmark: str
    measure: str
    value: float
    baseline: float | None  # the same measure for the baseline of the same run
    target: str  # what the value should meet, in words
    met: bool | None = None  # None where there is nothing to meet ("reported")

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


COLUMNS = ("benchmark", "measure", "value", "baseline", "ratio", "target", "met")


def _cells(row: Row) -> list[str]:
    def number(value: float | None, digits: int = 2) -> str:
        return "" if value is None else f"{value:,.{digits}f}"

    met = {True: "yes", False: "NO", None: ""}[row.met]
    return [row.benchmark, row.measure, number(row.value), number(row.baseline), number(row.ratio, 3),
            row.target, met]  # fmt: skip


def table(rows: Sequence[Row]) -> str:
    lines = [list(COLUMNS), *(_cells(row) for row in rows)]
    widths = [max(len(line[index]) for line in lines) for index in range(len(COLUMNS))]
    rendered = ["  ".join(cell.ljust(n) for cell, n in zip(line, widths, strict=True)) for line in lines]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(rendered)


def markdown(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """The machine the figures come from: its cores and load average (other work shares them)."""
    one, five, fifteen = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def main(run: Callable[[], list[Row]]) -> None:
    """A benchmark module's entry point: the machine at start (on stderr), then the table, or JSON rows with
    --json (for `python -m bench`)."""
    print(machine(), file=sys.stderr, flush=True)
    rows = run()
    if "--json" in sys.argv:
        print(json.dumps([asdict(row) for row in rows]))
    else:
        print(table(rows))
        print(machine())


def from_json(text: str) -> list[Row]:
    return [Row(**item) for item in json.loads(text)]
