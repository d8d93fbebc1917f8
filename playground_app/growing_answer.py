"""An answer saved while it arrives: about every PLAYGROUND_ANSWER_SAVE_SECONDS when new text came (and at
least every ten of those, so that an answer whose process is alive never looks cut off), from a task of its
own, so that a slow write never holds a token back. `finish` stops the saves and writes how the answer ended.
"""

import asyncio
import logging
from collections.abc import Callable

from django.conf import settings

from playground_app.database_trips import database_trip
from playground_app.models import Message
from playground_app.services.asking import AnswerPlan, Outcome, Recorded, save_answer, save_progress

logger = logging.getLogger(__name__)
HEARTBEAT_SAVES = 10  # a save at least every this many intervals, even when no new text came


class GrowingAnswer:
    def __init__(self, plan: AnswerPlan, recorded: Recorded, text: Callable[[], str]) -> None:
        self._plan = plan
        self._recorded = recorded
        self._text = text
        self._stopping = asyncio.Event()
        self._task = asyncio.ensure_future(self._save_while_arriving())

    async def _save_while_arriving(self) -> None:
        interval = settings.PLAYGROUND_ANSWER_SAVE_SECONDS
        saved, quiet = "", 0
        while not self._stopping.is_set():
            try:
                await asyncio.wait_for(self._stopping.wait(), interval)
                return
            except TimeoutError:
                pass
            text = self._text()
            quiet = 0 if text != saved else quiet + 1
            if text != saved or quiet >= HEARTBEAT_SAVES:
                try:
                    await database_trip(save_progress)(self._recorded, text)
                except Exception:  # the database, for a moment: the next save tries again
                    logger.warning("Saving answer %s so far failed", self._recorded.answer.pk, exc_info=True)
                    continue
                saved, quiet = text, 0

    async def stop(self) -> None:
        """No more saves of the text so far (one under way completes first)."""
        self._stopping.set()
        await asyncio.wait([self._task])

    async def finish(self, outcome: Outcome) -> Message:
        await self.stop()
        return await database_trip(save_answer)(self._plan, self._recorded, outcome)
