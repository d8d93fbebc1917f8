"""The cost table as rows of text: for the CSV export and the `cost_report` command."""

import csv
from typing import TextIO

from billing.costs import CostSummary
from endpoints_app.models import Endpoint

HEADER = (
    "namespace",
    "endpoint",
    "status",
    "hardware",
    "price_per_hour",
    "burn_per_hour",
    "today",
    "month",
    "projected_month",
)


def hardware_label(endpoint: Endpoint) -> str:
    return f"{endpoint.vendor} {endpoint.instance_type} {endpoint.instance_size}"


def status_label(endpoint: Endpoint) -> str:
    return "gone" if endpoint.is_gone else endpoint.status


def cost_rows(summary: CostSummary) -> list[tuple[str, ...]]:
    """One row per endpoint, then a total row (amounts in dollars, two decimals; burn and price as stored)."""
    rows = []
    for row in summary.rows:
        endpoint, amounts = row.endpoint, row.amounts
        rows.append(
            (
                endpoint.namespace.name,
                endpoint.name,
                status_label(endpoint),
                hardware_label(endpoint),
                "" if endpoint.price_per_hour is None else f"{endpoint.price_per_hour:f}",
                f"{amounts.burn_per_hour:f}",
                f"{amounts.today:.2f}",
                f"{amounts.month:.2f}",
                f"{amounts.projected:.2f}",
            )
        )
    totals = summary.totals
    rows.append(
        (
            "",
            "total",
            "",
            "",
            "",
            f"{totals.burn_per_hour:f}",
            f"{totals.today:.2f}",
            f"{totals.month:.2f}",
            f"{totals.projected:.2f}",
        )
    )
    return rows


def write_csv(summary: CostSummary, stream: TextIO) -> None:
    writer = csv.writer(stream)
    writer.writerow(HEADER)
    writer.writerows(cost_rows(summary))
