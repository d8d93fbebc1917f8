"""A panel's first rows and how many there are in all: the Overview shows the costliest few of a list that
grows with the fleet, and links to the page that shows them all."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, Model, QuerySet, Window

Row = TypeVar("Row")
Found = TypeVar("Found", bound=Model)

OVERVIEW_ROWS = 10  # per panel of the Overview
# The columns a panel's row shows and prices (`Endpoint.full_name`, `hourly_burn`, `price_of`), and nothing
# else: loading every column of the endpoint and its namespace was a fifth of each panel's time.
PANEL_COLUMNS = (
    "name", "namespace", "namespace__name", "status", "is_gone", "price_per_hour", "min_replica",
    "target_replica", "ready_replica",
)  # fmt: skip


@dataclass(frozen=True)
class Shortlist(Generic[Row]):
    rows: list[Row]
    total: int

    @property
    def left_out(self) -> int:
        return self.total - len(self.rows)

    def __bool__(self) -> bool:
        return self.total > 0


def first_of(query: QuerySet[Found], limit: int | None) -> tuple[list[Found], int]:
    """The first `limit` rows of the query (all of them when None) and how many it has, in one query: each row
    also carries the count of all rows (a window over the whole result, counted before the limit), so the
    Overview costs the same queries whatever the fleet. A distinct query or a union takes a second query."""
    if limit is None:
        rows = list(query)
        return rows, len(rows)
    if query.query.distinct or query.query.combinator:
        # A window counts before DISTINCT, and a union cannot be annotated: count apart.
        return list(query[:limit]), query.count()
    rows = list(query.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return rows, rows[0].rows_in_all if rows else 0
