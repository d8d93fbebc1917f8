"""Billing-conscious administration: costs from the status timeline, policies that pause what nobody uses,
budgets with alerts, notifications, and the Overview's forgotten endpoints."""
