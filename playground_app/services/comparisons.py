"""Comparisons: start one (a conversation per endpoint, shuffled in blind mode), run it again later, vote,
and the team's table of votes per endpoint.

The answers themselves come through the playground's answer route, one stream per column, so each column
is an ordinary conversation: every engine, Stop, wake-up and the checks of a single chat apply to it.
"""

import random
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from endpoints_app.models import Endpoint
from endpoints_app.services.errors import NotPermitted
from playground_app.answer_cost import answer_cost, cost_per_thousand_tokens, hourly_price
from playground_app.capabilities import query_modes
from playground_app.models import (
    Comparison,
    ComparisonColumn,
    Message,
    MessageStatus,
    QueryMode,
    Role,
    Vote,
)
from playground_app.models.comparisons import LETTERS
from playground_app.parameters import ChatParameters
from playground_app.services.access import require_playground
from playground_app.services.conversations import start_conversation, title_from

MIN_COLUMNS, MAX_COLUMNS = 2, len(LETTERS)


class VoteRefused(ValueError):
    """The vote cannot be counted; `str(error)` says why."""


def column_mode(endpoint: Endpoint) -> QueryMode | None:
    """The messages API where the engine serves it (what a chat uses first), else its first mode."""
    offered = query_modes(endpoint)
    if QueryMode.MESSAGES in offered:
        return QueryMode.MESSAGES
    return offered[0] if offered else None


@transaction.atomic
def start_comparison(
    user: AbstractBaseUser,
    endpoints: Sequence[Endpoint],
    *,
    prompt: str,
    system_prompt: str,
    parameters: ChatParameters,
    blind: bool,
    rerun_of: Comparison | None = None,
) -> Comparison:
    """The comparison and one empty conversation per endpoint; the page then asks each of them."""
    require_playground(user)
    if not MIN_COLUMNS <= len(endpoints) <= MAX_COLUMNS:
        raise ValueError(f"Compare {MIN_COLUMNS} to {MAX_COLUMNS} endpoints.")
    comparison = Comparison.objects.create(
        title=title_from(prompt),
        author=user,
        prompt=prompt,
        system_prompt=system_prompt,
        parameters=parameters.as_json(),
        blind=blind,
        rerun_of=rerun_of,
    )
    ordered = list(endpoints)
    if blind:
        random.shuffle(ordered)  # the order chosen must not tell which column is which
    for letter, endpoint in zip(LETTERS, ordered, strict=False):
        mode = column_mode(endpoint)
        conversation = start_conversation(
            user,
            endpoint,
            first_words=prompt,
            mode=mode or QueryMode.MESSAGES,
            system_prompt=system_prompt,
            parameters=parameters,
        )
        ComparisonColumn.objects.create(
            comparison=comparison,
            letter=letter,
            conversation=conversation,
            endpoint=endpoint,
            endpoint_label=endpoint.full_name,
            mode=mode or "",
            hourly_price=hourly_price(endpoint),
        )
    return comparison


def rerun(user: AbstractBaseUser, comparison: Comparison) -> Comparison:
    """The same question to the same endpoints (those still there), at today's prices and hardware."""
    endpoints = [
        column.endpoint
        for column in comparison.columns.select_related("endpoint")
        if column.endpoint is not None and not column.endpoint.is_gone
    ]
    if len(endpoints) < MIN_COLUMNS:
        raise ValueError("Fewer than two of its endpoints are left: start a new comparison.")
    return start_comparison(
        user,
        endpoints,
        prompt=comparison.prompt,
        system_prompt=comparison.system_prompt,
        parameters=ChatParameters.from_json(comparison.parameters),
        blind=comparison.blind,
        rerun_of=comparison,
    )


def has_voted(user: AbstractBaseUser, comparison: Comparison) -> bool:
    return comparison.votes.filter(author_id=user.pk).exists()


def is_revealed(user: AbstractBaseUser, comparison: Comparison) -> bool:
    """Whether `user` may see which endpoint wrote which column: always, unless blind and not voted yet."""
    return not comparison.blind or has_voted(user, comparison)


def require_revealed(user: AbstractBaseUser, comparison: Comparison) -> None:
    if not is_revealed(user, comparison):
        raise NotPermitted("This comparison is blind: vote first, then its endpoints are shown.")


def vote(user: AbstractBaseUser, comparison: Comparison, letter: str) -> Vote:
    """Counts `user`'s verdict (a column's letter, or "tie") once every column has answered."""
    require_playground(user)
    columns = {column.letter: column for column in comparison.columns.all()}
    if letter != "tie" and letter not in columns:
        raise VoteRefused("Choose one of the columns, or a tie.")
    unanswered = [c.letter for c in columns.values() if not _answered(c.answer())]
    if unanswered:
        raise VoteRefused(f"Wait for every answer first (column {', '.join(unanswered)} has none yet).")
    try:
        return Vote.objects.create(comparison=comparison, author=user, winner=columns.get(letter))
    except IntegrityError as error:
        raise VoteRefused("You have already voted on this comparison.") from error


def _answered(answer: Message | None) -> bool:
    return answer is not None and answer.status == MessageStatus.COMPLETE


def _last_answers() -> dict[int, Message]:
    """The latest answer of each column's conversation, by conversation (one query for the whole table)."""
    answers = Message.objects.filter(conversation__comparison_column__isnull=False, role=Role.ASSISTANT)
    return {answer.conversation_id: answer for answer in answers.order_by("conversation_id", "position")}


@dataclass
class Standing:
    """One endpoint's record in the team's comparisons."""

    endpoint: str
    wins: int = 0
    losses: int = 0
    ties: int = 0
    ttfts: list[float] = field(default_factory=list)
    cost: Decimal = Decimal(0)
    priced_tokens: int = 0

    @property
    def votes(self) -> int:
        return self.wins + self.losses + self.ties

    @property
    def median_ttft_ms(self) -> float | None:
        return statistics.median(self.ttfts) if self.ttfts else None

    @property
    def cost_per_thousand(self) -> Decimal | None:
        return cost_per_thousand_tokens(self.cost, self.priced_tokens)


def standings() -> list[Standing]:
    """Every compared endpoint: its votes (the winner wins, the other columns lose; a tie counts for all),
    the median time to first token of its compared answers, and their estimated $ per 1,000 output tokens.
    Most wins first."""
    table: dict[str, Standing] = {}

    def standing(label: str) -> Standing:
        return table.setdefault(label, Standing(label))

    columns_of: dict[int, list[ComparisonColumn]] = defaultdict(list)
    last_answers = _last_answers()
    for column in ComparisonColumn.objects.all():
        columns_of[column.comparison_id].append(column)
        answer = last_answers.get(column.conversation_id)
        if not _answered(answer):
            continue
        row = standing(column.endpoint_label)
        if answer.time_to_first_token_ms is not None:
            row.ttfts.append(answer.time_to_first_token_ms)
        cost = answer_cost(answer, column.hourly_price)
        if cost is not None and answer.output_tokens:
            row.cost += cost
            row.priced_tokens += answer.output_tokens
    for cast in Vote.objects.all():
        for column in columns_of[cast.comparison_id]:
            row = standing(column.endpoint_label)
            if cast.winner_id is None:
                row.ties += 1
            elif cast.winner_id == column.pk:
                row.wins += 1
            else:
                row.losses += 1
    return sorted(table.values(), key=lambda row: (-row.wins, row.losses, row.endpoint))
