"""Signals other apps listen to (billing notifications listen to finished automatic operations)."""

from django.dispatch import Signal

# Sent with `operation` when an operation succeeds or fails.
operation_finished = Signal()
