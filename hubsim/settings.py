"""The options hubsim runs with (filled from command-line flags and HUBSIM_* environment variables)."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8765
    # Base URL that clients reach hubsim at; endpoint URLs are built from it. Defaults to http://host:port.
    public_url: str | None = None
    # Time from create to running; every other transition is a fraction or multiple of it.
    deploy_seconds: float = 5.0
    state_file: Path | None = None
    config_file: Path | None = None
    engine: str = "ngram"
    # Pause between streamed tokens, so a person sees text arrive as from a real server.
    token_latency_ms: float = 10.0
    log_level: str = "info"

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104 - a bind-all address
        return f"http://{host}:{self.port}"
