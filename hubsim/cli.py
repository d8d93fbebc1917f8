"""``python -m hubsim``: command-line flags, each with a HUBSIM_* environment variable as its default."""

import argparse
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from hubsim.settings import Settings

DEFAULTS = Settings()
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def _env(name: str, default: object) -> object:
    return os.environ.get(f"HUBSIM_{name}", default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m hubsim",
        description=(
            "A local emulator of the Hugging Face Hub (at /), the Inference Endpoints API (at /v2) and the"
            " inference servers behind endpoints (at /e/<id>). Every option can also be set with the"
            " environment variable named in its help; a flag wins over the variable."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--host", default=_env("HOST", DEFAULTS.host), help="interface to listen on [HUBSIM_HOST]"
    )
    parser.add_argument(
        "--port", type=int, default=int(_env("PORT", DEFAULTS.port)), help="port to listen on [HUBSIM_PORT]"
    )
    parser.add_argument(
        "--public-url",
        default=_env("PUBLIC_URL", None),
        help="base URL clients reach hubsim at, used in endpoint URLs (default: http://HOST:PORT)"
        " [HUBSIM_PUBLIC_URL]",
    )
    parser.add_argument(
        "--deploy-seconds",
        type=float,
        default=float(_env("DEPLOY_SECONDS", DEFAULTS.deploy_seconds)),
        help="seconds from create (or resume) to running; updates take as long, a wake-up from scaled-to-zero"
        " half as long. About 5 for a demo, 0.3 for tests [HUBSIM_DEPLOY_SECONDS]",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        default=_env("STATE_FILE", None),
        help="JSON file that keeps endpoints (and the clock offset) across restarts; none: state lives in"
        " memory [HUBSIM_STATE_FILE]",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=_env("CONFIG", None),
        help="TOML file of extra users, orgs, tokens, gated-repo access, hardware changes and quotas"
        " (see hubsim/README.md) [HUBSIM_CONFIG]",
    )
    parser.add_argument(
        "--engine",
        default=_env("ENGINE", DEFAULTS.engine),
        help='text-generation engine: "ngram" (built at start-up, no download) or'
        ' "transformers:/path/to/model" (needs torch) [HUBSIM_ENGINE]',
    )
    parser.add_argument(
        "--token-latency-ms",
        type=float,
        default=float(_env("TOKEN_LATENCY_MS", DEFAULTS.token_latency_ms)),
        help="pause between streamed tokens, in milliseconds (0: as fast as the engine)"
        " [HUBSIM_TOKEN_LATENCY_MS]",
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default=_env("LOG_LEVEL", DEFAULTS.log_level),
        help="logging level [HUBSIM_LOG_LEVEL]",
    )
    return parser


def settings_from_args(argv: Sequence[str] | None = None) -> Settings:
    args = build_parser().parse_args(argv)
    return Settings(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        deploy_seconds=args.deploy_seconds,
        state_file=Path(args.state_file) if args.state_file else None,
        config_file=Path(args.config) if args.config else None,
        engine=args.engine,
        token_latency_ms=args.token_latency_ms,
        log_level=args.log_level,
    )


def main(argv: Sequence[str] | None = None) -> None:
    settings = settings_from_args(argv)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    from hubsim.app import create_app  # after logging is set up: building the app reads the config file

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=settings.log_level == "debug",
        timeout_graceful_shutdown=3,  # open streams must not hold a stop (or a test teardown) for long
    )
