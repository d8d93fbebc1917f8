"""The Costs page and its CSV export."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from billing.chart import recent_spend_chart
from billing.costs import month_summary
from billing.forms import MonthForm
from billing.reports import write_csv
from endpoints_app.roles import VIEW, requires


@require_GET
@requires(VIEW)
def costs(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = MonthForm(request.GET or None, initial={"month": f"{timezone.localtime(now):%Y-%m}"})
    context = {"form": form, "summary": month_summary(form.period(now), now)}
    if request.htmx:
        return render(request, "billing/partials/cost_summary.html", context)
    return render(request, "billing/costs.html", {**context, "chart": recent_spend_chart(now)})


@require_GET
@requires(VIEW)
def costs_csv(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    period = MonthForm(request.GET or None).period(now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="costs-{period.first_day:%Y-%m}.csv"'
    write_csv(month_summary(period, now), response)
    return response
