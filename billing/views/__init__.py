"""Billing pages: costs, policies, exclusions, notifications, and the Overview's pause button."""
