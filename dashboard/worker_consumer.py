"""The worker's broker consumer (CELERY_WORKER_CONSUMER): the worker outlives a broker outage.

With Redis as the broker (Celery and kombu 5.7), a worker that holds messages it has not acknowledged yet
dies when the broker connection drops, and it always holds some while an operation waits (the countdown of
its next check) or runs (tasks are acknowledged late). Celery tears the broken connection down, and two
things then reach through it: closing its channel puts the held messages back, and a task that finishes
acknowledges its message. Both raise AttributeError from inside kombu instead of a connection error, and
Celery stops the worker ("Unrecoverable error").

Nothing is lost by not doing either through the dead connection: Redis keeps every unacknowledged message in
its unacked set and delivers it again after the visibility timeout (the tasks are idempotent), and
`reconcile_operations` re-sends sooner what an operation still needs.
"""

from typing import Any

from celery.worker.consumer import Consumer as CeleryConsumer


class Consumer(CeleryConsumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An acknowledgement through the torn-down connection is logged and left to the visibility timeout;
        # in the consumer's loop, the error restarts the connection as a connection error does.
        self.connection_errors = (*self.connection_errors, AttributeError)

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        if self.connection is not None:
            for channel in self.connection.transport.channels:
                channel.qos.restore_at_shutdown = False  # the connection they would go back through is gone
        super().on_connection_error_after_connected(exc)
