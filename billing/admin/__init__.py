"""The Django admin of billing: policies, 'keep running' marks and notifications, and the endpoint admin's
costs (the billing app extends endpoints_app's Endpoint admin; endpoints_app knows nothing of billing)."""

from billing.admin import endpoint_costs, policies

__all__ = ["endpoint_costs", "policies"]
