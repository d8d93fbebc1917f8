"""The list of every mirrored endpoint: filters, sorting, burn rate, and a live part that polls only while
something changes by itself."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.views.decorators.http import require_GET

from endpoints_app.forms.filters import ENDPOINT_COLUMNS, EndpointFilterForm
from endpoints_app.models import Endpoint
from endpoints_app.roles import VIEW, requires
from endpoints_app.views import rows

PAGE_SIZE = 100


@dataclass(frozen=True)
class Listing:
    form: EndpointFilterForm
    page: Page
    burn_rate: Decimal
    polling: bool
    live_url: str

    def fingerprint(self) -> str:
        return rows.fingerprint(self.page, self.page.number, self.burn_rate, self.polling)

    def context(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "page": self.page,
            "endpoints": self.page.object_list,
            "burn_rate": self.burn_rate,
            "polling": self.polling,
            "live_url": self.live_url,
            "columns": sort_headers(self.form.sort_key),
        }


class CountedPaginator(Paginator):
    """A paginator told the number of items (counted with the burn rate in one query)."""

    def __init__(self, object_list: QuerySet[Endpoint], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills Paginator's cached `count` property


def build_listing(request: HttpRequest) -> Listing:
    form = EndpointFilterForm(request.GET)
    filtered = form.filter(Endpoint.objects.all())
    count, burn_rate = filtered.count_and_burn_rate()
    ordered = rows.with_row_data(form.order(filtered))
    page = CountedPaginator(ordered, PAGE_SIZE, count).get_page(request.GET.get("page"))
    any_operation = rows.prepare_rows(page.object_list)
    # A create under way adds a row that is not on screen yet: keep looking while any operation runs.
    polling = any_operation or rows.needs_polling(page)
    return Listing(
        form=form,
        page=page,
        burn_rate=burn_rate,
        polling=polling,
        live_url=f"{reverse('endpoints:list_live')}?{request.GET.urlencode()}",
    )


def sort_headers(current: str) -> dict[str, dict[str, Any]]:
    """Each sortable column by key, with the sort its header link asks for (a second click reverses it)."""
    headers = {}
    for column in ENDPOINT_COLUMNS:
        active = current.lstrip("-") == column.key
        descending = active and current.startswith("-")
        headers[column.key] = {
            "column": column,
            "active": active,
            "descending": descending,
            "next_sort": column.key if descending or not active else f"-{column.key}",
        }
    return headers


@requires(VIEW)
@require_GET
def endpoint_list(request: HttpRequest) -> HttpResponse:
    listing = build_listing(request)
    mirror_is_empty = listing.page.paginator.count == 0 and not listing.form.is_filtered
    context = {**listing.context(), "mirror_is_empty": mirror_is_empty}
    return render(request, "endpoints_app/endpoint_list.html", context)


@requires(VIEW)
@require_GET
def endpoint_list_live(request: HttpRequest) -> HttpResponse:
    """The rows and totals as out-of-band swaps; 304 when nothing a row shows has changed."""
    listing = build_listing(request)
    etag = quote_etag(listing.fingerprint())
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = render(request, "endpoints_app/partials/endpoint_list_live.html", listing.context())
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True, private=True)
    return response
