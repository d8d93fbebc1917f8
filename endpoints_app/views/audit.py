"""The audit log: filters, pages, and the same selection as CSV."""

import csv
import json
from collections.abc import AsyncIterator

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from endpoints_app.forms.filters import AuditFilterForm
from endpoints_app.models import AuditEntry
from endpoints_app.roles import MANAGE_USERS, VIEW, requires

PAGE_SIZE = 50
CSV_COLUMNS = ("at", "actor", "ip_address", "action", "target", "result", "message", "changes", "operation")
# A cell starting with one of these is a formula to a spreadsheet: it is kept as text instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _selection(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET)
    return form, form.filter(AuditEntry.objects.all())


@requires(VIEW)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form, entries = _selection(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "show_addresses": request.user.has_perm(MANAGE_USERS)}
    return render(request, "endpoints_app/audit_log.html", context)


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_row(entry: AuditEntry, show_addresses: bool) -> list[str]:
    values = [
        entry.at.isoformat(),
        entry.actor_label,
        (entry.ip_address or "") if show_addresses else "",
        entry.action,
        entry.target,
        entry.result,
        entry.message,
        json.dumps(entry.changes, sort_keys=True) if entry.changes else "",
        str(entry.operation_id or ""),
    ]
    return [_cell(value) for value in values]


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


@requires(VIEW)
@require_GET
def audit_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The selection as CSV, streamed a line at a time as the rows come from the database (an asynchronous
    iterator: under ASGI a synchronous one would be read whole into memory first)."""
    _, entries = _selection(request)
    show_addresses = request.user.has_perm(MANAGE_USERS)
    writer = csv.writer(_Line())

    async def lines() -> AsyncIterator[str]:
        yield writer.writerow(CSV_COLUMNS)
        async for entry in entries.aiterator(chunk_size=1000):
            yield writer.writerow(_csv_row(entry, show_addresses))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.now():%Y%m%d-%H%M%S}.csv"'
    return response
