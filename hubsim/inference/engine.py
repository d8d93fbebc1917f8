"""The text engine, built in the background at start-up so the server answers at once."""

import asyncio
import logging
from concurrent.futures import Future, ThreadPoolExecutor

from hubsim import models
from hubsim.errors import ApiError

logger = logging.getLogger("hubsim.engine")


class EngineHolder:
    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._future: Future[models.TextEngine] | None = None

    def start(self) -> None:
        """Begin building the engine (once)."""
        if self._future is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hubsim-engine")
            self._future = executor.submit(models.load_engine, self.spec)
            self._future.add_done_callback(self._report)
            executor.shutdown(wait=False)

    def _report(self, future: Future[models.TextEngine]) -> None:
        if future.exception() is not None:
            logger.error("text engine %r cannot be built: %s", self.spec, future.exception())
        else:
            logger.info("text engine %r ready", self.spec)

    @property
    def ready(self) -> bool:
        return self._future is not None and self._future.done() and self._future.exception() is None

    async def get(self) -> models.TextEngine:
        """The engine; the first callers wait until it is built. 503 if it cannot be built."""
        self.start()
        try:
            return await asyncio.wrap_future(self._future)
        except models.EngineUnavailableError as error:
            raise ApiError(503, f"The text engine is unavailable: {error}", error_type="unhealthy") from error
