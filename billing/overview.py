"""The Overview's billing panel: running endpoints nobody uses lately, and recommendations. Computed here, in
a fixed number of queries whatever the number of endpoints, and rendered by billing/partials/."""

from dataclasses import dataclass
from datetime import datetime

from billing.forgotten import ForgottenEndpoint, forgotten_endpoints
from billing.recommendations import Recommendation, recommendations


@dataclass(frozen=True)
class SavingsPanel:
    now: datetime
    forgotten: list[ForgottenEndpoint]
    recommendations: list[Recommendation]


def savings_panel(now: datetime) -> SavingsPanel:
    return SavingsPanel(now, forgotten_endpoints(now), recommendations(now))
