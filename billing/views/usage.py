"""The Usage page (who used which endpoint from the playground, and the cost it carries) and its CSV."""

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from billing.date_range import DateRangeForm
from billing.usage import usage_csv_rows, usage_report
from endpoints_app.roles import VIEW, requires


@require_GET
@requires(VIEW)
def usage(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = DateRangeForm(request.GET or None)
    first_day, last_day = form.days(now)
    context = {"form": form, "report": usage_report(first_day, last_day, now)}
    return render(request, "billing/usage.html", context)


@require_GET
@requires(VIEW)
def usage_csv(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    first_day, last_day = DateRangeForm(request.GET or None).days(now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="usage-{first_day}-{last_day}.csv"'
    writer = csv.writer(response)
    writer.writerows(usage_csv_rows(first_day, last_day, now))
    return response
