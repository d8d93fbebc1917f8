"""`manage.py cost_report --month YYYY-MM [--csv]`: what each endpoint cost in a month."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from billing.costs import month_summary
from billing.periods import parse_month
from billing.reports import HEADER, cost_rows, write_csv

# The text table's columns: namespace, endpoint, status, hardware, price, month, projected.
TEXT_COLUMNS = (0, 1, 2, 3, 4, 7, 8)


class Command(BaseCommand):
    help = "Print each endpoint's cost in a month (to date for the current month), per namespace and in all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The month, as YYYY-MM.")
        parser.add_argument("--csv", action="store_true", help="Write CSV instead of a table.")

    def handle(self, *args: object, month: str, csv: bool = False, **options: object) -> None:
        try:
            period = parse_month(month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        summary = month_summary(period, timezone.now())
        if csv:
            write_csv(summary, self.stdout)
            return
        table = [tuple(HEADER[i] for i in TEXT_COLUMNS)] + [
            tuple(row[i] for i in TEXT_COLUMNS) for row in cost_rows(summary)
        ]
        widths = [max(len(row[column]) for row in table) for column in range(len(TEXT_COLUMNS))]
        self.stdout.write(f"Costs of {period.first_day:%B %Y}" + (" to date" if summary.is_current else ""))
        for row in table:
            cells = [
                cell.rjust(width) if column >= 4 else cell.ljust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write("")
        for name, amounts in summary.by_namespace:
            self.stdout.write(f"{name}: ${amounts.month:,.2f}")
        self.stdout.write(f"Total: ${summary.totals.month:,.2f}")
