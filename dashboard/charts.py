"""What the server-rendered SVG charts share (billing's daily spend, an endpoint's analytics): their shapes
and a round top for the value axis. No script, no styles: shapes carry a `series-N` class the stylesheet
colours."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above `value` (1 for nothing)."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** value.adjusted()  # value is below 10 x magnitude
    return next(magnitude * step for step in (1, 2, Decimal("2.5"), 5, 10) if value <= magnitude * step)
