"""Compare: one question to 2 to 4 endpoints, streamed side by side (one request per column to the answer
route), votes, the team's table, re-runs and exports."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from endpoints_app.roles import USE_PLAYGROUND, requires
from endpoints_app.services.errors import NotPermitted
from playground_app import exports
from playground_app.answer_cost import HOW_ESTIMATED, answer_cost
from playground_app.capabilities import unsupported
from playground_app.forms import CompareForm, chat_initial
from playground_app.models import Comparison, ComparisonColumn, Message, MessageStatus
from playground_app.rendering import render_markdown
from playground_app.services import comparisons
from playground_app.services.endpoints import can_resume
from playground_app.views.chat import PARAMETER_FIELDS
from playground_app.views.conversations import as_attachment

PAGE_SIZE = 20


@dataclass
class ColumnView:
    """A column as the page shows it to one person."""

    column: ComparisonColumn
    answer: Message | None
    html: str
    cost: Decimal | None
    revealed: bool
    run_fields: dict[str, Any]  # what the page posts to the answer route for this column
    problem: str  # why the column cannot be asked (an engine the console does not query), or ""

    @property
    def pending(self) -> bool:
        """No answer yet: the author's page asks for one."""
        return self.answer is None and not self.problem


def _column_view(column: ComparisonColumn, comparison: Comparison, revealed: bool) -> ColumnView:
    answer = column.answer()
    endpoint = column.endpoint
    problem = "" if endpoint is not None and not endpoint.is_gone else "This endpoint is gone."
    if not problem and not column.mode:
        problem = unsupported(endpoint) or "The console cannot ask this endpoint."
    run_fields = {
        **chat_initial(column.conversation, endpoint),
        "mode": column.mode,
        "text": comparison.prompt,
        # Asked before (the page was left while it answered): ask the same question again, not a second one.
        "action": "regenerate" if column.conversation.messages.exists() else "send",
    }
    return ColumnView(
        column=column,
        answer=answer,
        html=render_markdown(answer.content) if answer else "",
        cost=answer_cost(answer, column.hourly_price) if answer else None,
        revealed=revealed,
        run_fields={name: value for name, value in run_fields.items() if value is not None},
        problem=problem,
    )


def _columns(comparison: Comparison, user: AbstractBaseUser) -> list[ColumnView]:
    revealed = comparisons.is_revealed(user, comparison)
    columns = comparison.columns.select_related("conversation", "endpoint")
    return [_column_view(column, comparison, revealed) for column in columns]


def _comparison_or_404(pk: int) -> Comparison:
    return get_object_or_404(Comparison.objects.select_related("author"), pk=pk)


@requires(USE_PLAYGROUND)
@require_http_methods(["GET", "POST"])
def compare(request: HttpRequest) -> HttpResponse:
    """The compare form, the team's table of votes, and the team's comparisons."""
    form = CompareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        comparison = comparisons.start_comparison(
            request.user,
            data["endpoints"],
            prompt=data["text"],
            system_prompt=data.get("system_prompt") or "",
            parameters=form.chat_parameters(),
            blind=data["blind"],
        )
        return redirect(comparison)
    listed = Comparison.objects.select_related("author").prefetch_related("columns")
    context = {
        "form": form,
        "parameter_fields": [form[name] for name in PARAMETER_FIELDS],
        "standings": comparisons.standings(),
        "page": Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page")),
        "how_estimated": HOW_ESTIMATED,
    }
    return render(request, "playground_app/compare.html", context)


@requires(USE_PLAYGROUND)
@require_GET
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _comparison_or_404(pk)
    columns = _columns(shown, request.user)
    context = {
        "comparison": shown,
        "columns": columns,
        "revealed": comparisons.is_revealed(request.user, shown),
        "has_voted": comparisons.has_voted(request.user, shown),
        "can_run": shown.author_id == request.user.pk,
        "can_resume": can_resume(request.user),
        "can_vote": all(c.answer and c.answer.status == MessageStatus.COMPLETE for c in columns),
        "votes": shown.votes.select_related("author", "winner"),
        "how_estimated": HOW_ESTIMATED,
    }
    return render(request, "playground_app/comparison.html", context)


@requires(USE_PLAYGROUND)
@require_GET
def comparison_column(request: HttpRequest, pk: int, letter: str) -> HttpResponse:
    """One column, as saved (the page fetches it when its answer ends, for the figures and the cost)."""
    shown = _comparison_or_404(pk)
    column = get_object_or_404(shown.columns.select_related("conversation", "endpoint"), letter=letter)
    view = _column_view(column, shown, comparisons.is_revealed(request.user, shown))
    context = {"comparison": shown, "view": view, "can_run": False, "can_resume": can_resume(request.user)}
    return render(request, "playground_app/partials/comparison_column.html", context)


@requires(USE_PLAYGROUND)
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    shown = _comparison_or_404(pk)
    try:
        comparisons.vote(request.user, shown, request.POST.get("choice", ""))
    except comparisons.VoteRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Your vote is counted.")
    return redirect(shown)


@requires(USE_PLAYGROUND)
@require_POST
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    original = _comparison_or_404(pk)
    try:
        again = comparisons.rerun(request.user, original)
    except ValueError as refusal:
        messages.error(request, str(refusal))
        return redirect(original)
    return redirect(again)


def _export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The comparison as a file, once its endpoints may be shown to this person."""
    shown = _comparison_or_404(pk)
    try:
        comparisons.require_revealed(request.user, shown)
    except NotPermitted as refusal:
        return JsonResponse({"message": str(refusal)}, status=403)
    if extension == "json":
        response = JsonResponse(exports.comparison_document(shown), json_dumps_params={"indent": 2})
    else:
        markdown = exports.comparison_markdown(shown)
        response = HttpResponse(markdown, content_type="text/markdown; charset=utf-8")
    return as_attachment(response, exports.file_name(shown, extension))


@requires(USE_PLAYGROUND)
@require_GET
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "json")


@requires(USE_PLAYGROUND)
@require_GET
def export_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "md")
