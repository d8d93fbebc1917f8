"""The Overview's billing panel: running endpoints nobody uses lately, and recommendations, the costliest
few of each (the Savings page has them all). Computed here, in a fixed number of queries whatever the number
of endpoints, and rendered by billing/partials/."""

from dataclasses import dataclass
from datetime import datetime

from billing.forgotten import ForgottenEndpoint, forgotten_endpoints
from billing.recommendations import Recommendation, recommendations
from billing.shortlists import OVERVIEW_ROWS, Shortlist


@dataclass(frozen=True)
class SavingsPanel:
    now: datetime
    forgotten: Shortlist[ForgottenEndpoint]
    recommendations: Shortlist[Recommendation]


def savings_panel(now: datetime, limit: int | None = OVERVIEW_ROWS) -> SavingsPanel:
    """The Overview's panel (`limit` rows of each list), or the Savings page's (every row: None)."""
    return SavingsPanel(now, forgotten_endpoints(now, limit), recommendations(now, limit))
