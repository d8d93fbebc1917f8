"""TGI's /metrics (router/src/server.rs and infer/mod.rs, 3.3.7), as its Prometheus exporter writes them.

``tgi_request_count`` counts each handler's request and each generation it runs (a chat request counts
twice: once in ``chat_completions``, once in ``generate_internal``); ``tgi_request_success`` counts finished
generations; ``tgi_request_failure`` counts failures by kind (``err="validation"`` ...). Histograms use
TGI's buckets: durations geometric from 0.00015 s, token counts in hundredths of the limits.
"""

from hubsim.inference.metrics import ExporterRegistry
from hubsim.inference.params import MAX_INPUT_TOKENS, MAX_TOTAL_TOKENS

_DESCRIPTIONS = {
    "tgi_request_count": "Total number of requests",
    "tgi_request_success": "Number of successful requests",
    "tgi_request_duration": "Total time spent processing the request",
    "tgi_request_generated_tokens": "Generated tokens per request",
    "tgi_request_input_length": "Input token length per request",
    "tgi_request_max_new_tokens": "Maximum new tokens per request",
    "tgi_request_mean_time_per_token_duration": "Mean time per token per request",
}
_DURATIONS = tuple(0.0001 * 1.5**power for power in range(1, 36))


def _buckets(name: str) -> tuple[float, ...]:
    if name.endswith("duration"):
        return _DURATIONS
    limit = MAX_INPUT_TOKENS if name == "tgi_request_input_length" else MAX_TOTAL_TOKENS
    return tuple(limit / 100 * (step + 1) for step in range(100))


class TgiMetrics:
    def __init__(self) -> None:
        # The exporter registers a metric when it is first updated: a fresh server lists none of these.
        self.registry = ExporterRegistry(_DESCRIPTIONS, _buckets)

    def request(self) -> None:
        self.registry.increment("tgi_request_count")

    def validated(self, input_length: int, max_new_tokens: int) -> None:
        self.registry.observe("tgi_request_input_length", input_length)
        self.registry.observe("tgi_request_max_new_tokens", max_new_tokens)

    def success(self, seconds: float, generated_tokens: int) -> None:
        self.registry.increment("tgi_request_success")
        self.registry.observe("tgi_request_duration", seconds)
        self.registry.observe("tgi_request_mean_time_per_token_duration", seconds / max(generated_tokens, 1))
        self.registry.observe("tgi_request_generated_tokens", generated_tokens)

    def failure(self, kind: str) -> None:
        self.registry.increment("tgi_request_failure", (("err", kind),))

    def render(self) -> tuple[str, str]:
        return self.registry.render()
