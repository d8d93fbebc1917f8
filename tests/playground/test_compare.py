"""Compare: one question to several endpoints, each column streamed through the playground's answer route
(as the page does), its figures and estimated cost; blind votes and the team table; a paused column;
re-runs; exports. Hubsim endpoints on different hardware (their prices from the provider list) and of
different speeds (hubsim holds one's answers back: a latency fault)."""

import html
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from playground_app.models import Comparison, Conversation, MessageStatus
from playground_app.services.comparisons import standings
from tests.playground.fixtures import QWEN, client_of
from tests.playground.sse import events_of

QUESTION = "Which is the largest planet?"
RUN_FORM = re.compile(r'<form class="column-run" hidden>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def start(client: Client, endpoints, **fields) -> Comparison:
    form = {"endpoints": [e.pk for e in endpoints], "text": QUESTION, "max_new_tokens": "30", **fields}
    response = client.post(reverse("playground:compare"), form)
    assert response.status_code == 302, response.content
    comparison = Comparison.objects.latest("id")
    assert response["Location"] == comparison.get_absolute_url()
    return comparison


def run_forms(client: Client, comparison: Comparison) -> list[dict[str, str]]:
    """What the page posts to the answer route, one form per pending column, as in the page."""
    page = client.get(comparison.get_absolute_url()).content.decode()
    return [
        {name: html.unescape(value) for name, value in HIDDEN.findall(block)}
        for block in RUN_FORM.findall(page)
    ]


def answer_all(client: Client, comparison: Comparison) -> None:
    forms = run_forms(client, comparison)
    assert len(forms) == comparison.columns.count()
    for form in forms:
        events = events_of(client.post(reverse("playground:answer"), form))
        assert [name for name, _ in events][-1] == "done", events


def test_the_compare_view_streams_every_column_with_its_figures_and_cost(deploy, otto, hubsim) -> None:
    a10g = deploy("gemma-a10g")
    t4 = deploy("gemma-t4", instance_type="nvidia-t4")
    assert a10g.price_per_hour != t4.price_per_hour  # the provider list prices them differently
    # The T4 is the slower endpoint: hubsim holds its answer 300 ms before the first token.
    t4_route = urlsplit(t4.url).path + "/v1/chat/completions"
    hubsim.control.inject_fault("POST", t4_route, None, latency_ms=300)
    comparison = start(otto, [a10g, t4])
    columns = list(comparison.columns.order_by("letter"))
    assert [c.endpoint for c in columns] == [a10g, t4] and not comparison.blind
    forms = run_forms(otto, comparison)
    assert [form["endpoint"] for form in forms] == [str(a10g.pk), str(t4.pk)]
    assert {form["text"] for form in forms} == {QUESTION}
    answer_all(otto, comparison)

    answers = [column.answer() for column in columns]
    assert all(a.status == MessageStatus.COMPLETE and a.output_tokens > 1 for a in answers)
    assert answers[1].time_to_first_token_ms >= 300  # each column shows its own endpoint's speed
    for column, answer in zip(columns, answers, strict=True):
        # By hand: the hourly price (provider list price x 1 replica) for the answer's duration.
        seconds = answer.time_to_first_token_ms / 1000 + (answer.output_tokens - 1) / answer.tokens_per_second
        assert column.hourly_price == column.endpoint.price_per_hour
        expected = column.endpoint.price_per_hour * Decimal(seconds) / 3600
        shown = otto.get(reverse("playground:comparison_column", args=[comparison.pk, column.letter]))
        text = shown.content.decode()
        assert f"est. ${expected.quantize(Decimal('0.000001'), ROUND_HALF_UP)}" in text
        assert f"{answer.output_tokens} out" in text and column.endpoint_label in text
    page = otto.get(comparison.get_absolute_url()).content.decode()
    assert "answer time in seconds times the hourly price, divided by 3600" in page and not RUN_FORM.search(
        page
    )


def test_blind_votes_are_recorded_and_the_team_table_counts_them(deploy, otto, team) -> None:
    first, second = deploy("gemma-one"), deploy("gemma-two")
    comparison = start(otto, [first, second], blind="on")
    page = otto.get(comparison.get_absolute_url()).content.decode()
    assert "demo/gemma-one" not in page and "demo/gemma-two" not in page
    vote_url = reverse("playground:comparison_vote", args=[comparison.pk])
    early = otto.post(vote_url, {"choice": "A"}, follow=True).content.decode()
    assert "Wait for every answer first" in early and not comparison.votes.exists()
    export = reverse("playground:comparison_export_json", args=[comparison.pk])
    assert otto.get(export).status_code == 403  # it would tell the columns apart

    answer_all(otto, comparison)
    winner = comparison.columns.get(letter="A")
    loser = comparison.columns.get(letter="B")
    otto.post(vote_url, {"choice": "A"})
    viewer = client_of(team.viewer)
    viewer.post(vote_url, {"choice": "tie"})
    again = otto.post(vote_url, {"choice": "B"}, follow=True).content.decode()
    assert "already voted" in again
    assert [(v.author, v.winner) for v in comparison.votes.all()] == [
        (team.operator, winner),
        (team.viewer, None),
    ]

    revealed = otto.get(comparison.get_absolute_url()).content.decode()
    assert f"A · {winner.endpoint_label}" in revealed and f"B · {loser.endpoint_label}" in revealed
    rows = {row.endpoint: (row.wins, row.losses, row.ties) for row in standings()}
    assert rows == {winner.endpoint_label: (1, 0, 1), loser.endpoint_label: (0, 1, 1)}
    table = otto.get(reverse("playground:compare")).content.decode()
    assert re.search(
        rf"<td>{winner.endpoint_label}</td><td class=\"num\">1</td><td class=\"num\">0</td>", table
    )
    ttft = winner.answer().time_to_first_token_ms
    assert f"{ttft:.0f} ms" in table
    assert json.loads(otto.get(export).content)["votes"] == [
        {"voter": "otto", "winner": "A"},
        {"voter": "vic", "winner": "tie"},
    ]


def test_a_paused_column_offers_resume_to_operators(deploy, otto, team) -> None:
    running = deploy("gemma-up")
    paused = deploy("gemma-paused", state="paused")
    comparison = start(otto, [running, paused])
    column = comparison.columns.get(endpoint=paused)
    page = otto.get(comparison.get_absolute_url()).content.decode()
    section = page.split(f'id="column-{column.letter}"')[1].split("</section>")[0]
    assert "demo/gemma-paused is paused." in section and "Resume and wait" in section
    assert f'data-endpoint="{paused.pk}" data-status="paused"' in page
    # The answer route itself refuses until it is resumed, as in a single chat.
    form = run_forms(otto, comparison)[[c.letter for c in comparison.columns.all()].index(column.letter)]
    refusal = otto.post(reverse("playground:answer"), form)
    assert refusal.status_code == 409 and json.loads(refusal.content)["endpoint_status"] == "paused"


def test_a_comparison_runs_again_and_exports_as_markdown(deploy, otto, team) -> None:
    first, second = deploy("qwen-left", QWEN), deploy("qwen-right", QWEN)  # Gemma has no system role
    comparison = start(otto, [first, second], system_prompt="Answer in one line.")
    answer_all(otto, comparison)
    viewer = client_of(team.viewer)
    response = viewer.post(reverse("playground:comparison_rerun", args=[comparison.pk]))
    again = Comparison.objects.latest("id")
    assert response["Location"] == again.get_absolute_url() and again.rerun_of == comparison
    assert (again.author, again.prompt, again.system_prompt) == (team.viewer, QUESTION, "Answer in one line.")
    assert {c.endpoint for c in again.columns.all()} == {first, second}
    assert len(run_forms(viewer, again)) == 2 and run_forms(otto, again) == []  # only its author asks
    someone_elses = otto.post(reverse("playground:answer"), run_forms(viewer, again)[0])
    column = again.columns.get(letter="A")
    assert someone_elses.status_code == 403 and not column.conversation.messages.exists()

    text = viewer.get(reverse("playground:comparison_export_markdown", args=[comparison.pk])).content.decode()
    assert text.startswith(f"# {comparison.title}\n") and f"## Question\n\n{QUESTION}" in text
    for column in comparison.columns.all():
        assert f"## {column.letter}: {column.endpoint_label}\n\n{column.answer().content}" in text
    assert "estimated cost $" in text
    history = otto.get(reverse("playground:history")).content.decode()
    assert not Conversation.objects.filter(comparison_column__isnull=True).exists()
    assert QUESTION not in history  # the columns are listed with their comparison, not as chats


def test_the_compare_form_keeps_what_was_typed_when_it_is_refused(deploy, otto) -> None:
    only = deploy("gemma-alone")
    response = otto.post(reverse("playground:compare"), {"endpoints": [only.pk], "text": QUESTION})
    assert response.status_code == 200 and not Comparison.objects.exists()
    page = response.content.decode()
    assert "Choose 2 to 4 endpoints." in page and QUESTION in page


def test_a_column_left_while_it_answered_asks_the_same_question_again(deploy, otto) -> None:
    comparison = start(otto, [deploy("gemma-east"), deploy("gemma-west")])
    column = comparison.columns.get(letter="A")
    events_of(otto.post(reverse("playground:answer"), run_forms(otto, comparison)[0]))
    column.conversation.messages.filter(role="assistant").delete()  # as if the page was left mid-answer
    form = run_forms(otto, comparison)[0]
    assert form["action"] == "regenerate"
    assert [name for name, _ in events_of(otto.post(reverse("playground:answer"), form))][-1] == "done"
    assert [m.role for m in column.conversation.messages.order_by("position")] == ["user", "assistant"]
