"""Reading request counters out of an engine's /metrics (Prometheus' text format)."""

from collections.abc import Iterable

from prometheus_client.parser import text_string_to_metric_families


def counter_total(text: str, names: Iterable[str]) -> tuple[str, int] | None:
    """The first of the named counter families found in `text` and the sum of its samples (over every label),
    or None when none of them is there. Raises ValueError for text that is not Prometheus metrics.

    A family is named as the parser names it: without the `_total` its samples may carry
    (`vllm:request_success` for `vllm:request_success_total`).
    """
    wanted = tuple(names)
    found: dict[str, int] = {}
    for family in text_string_to_metric_families(text):
        if family.name in wanted:
            samples = (s for s in family.samples if s.name in (family.name, f"{family.name}_total"))
            found[family.name] = int(sum(sample.value for sample in samples))
    return next(((name, found[name]) for name in wanted if name in found), None)
