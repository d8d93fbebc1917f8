"""What one answer cost, estimated from its measured speed and the endpoint's hourly price.

A dedicated endpoint is billed by the hour whatever it does, so an answer's cost is its share of that hour:
its duration (time to first token, then the output tokens at the measured tokens/s) times the hourly price
(price per replica times replicas) divided by 3600. That is what the answer costs when the endpoint serves it
alone; answers served at the same time share the hour, so it is an upper bound.
"""

from decimal import Decimal

from endpoints_app.models import Endpoint
from playground_app.models import Message

HOW_ESTIMATED = (
    "Estimated cost = answer time in seconds times the hourly price, divided by 3600; answer time = time "
    "to first token + (output tokens - 1) / tokens per second; hourly price = price per replica times "
    "replicas when the comparison was made. It is the answer's share of the hour if the endpoint served it "
    "alone (an upper bound: answers served together share the hour)."
)


def hourly_price(endpoint: Endpoint) -> Decimal | None:
    """The price per replica times the replicas that serve (at least the one that answers)."""
    if endpoint.price_per_hour is None:
        return None
    return endpoint.price_per_hour * max(endpoint.target_replica, endpoint.ready_replica, 1)


def answer_seconds(answer: Message) -> float | None:
    """How long the answer took, from the figures measured while it streamed."""
    if answer.time_to_first_token_ms is None:
        return None
    seconds = answer.time_to_first_token_ms / 1000
    if answer.tokens_per_second and answer.output_tokens and answer.output_tokens > 1:
        seconds += (answer.output_tokens - 1) / answer.tokens_per_second
    return seconds


def answer_cost(answer: Message, price_per_hour: Decimal | None) -> Decimal | None:
    """The estimated cost in dollars, or None when the price or the timings are unknown."""
    seconds = answer_seconds(answer)
    if seconds is None or price_per_hour is None:
        return None
    return price_per_hour * Decimal(str(seconds)) / 3600


def cost_per_thousand_tokens(cost: Decimal, output_tokens: int) -> Decimal | None:
    return cost * 1000 / output_tokens if output_tokens else None
