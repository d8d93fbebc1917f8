"""The playground's prompt preview: `apply_chat_template` + token count with the tokenizer cached in the
process (first request, then warm), against loading the tokenizer for each request, in the same run.

    python -m bench.chat_template
"""

import statistics
import time
from collections.abc import Callable

from bench import report, stack

REPOSITORY = "google/gemma-1.1-2b-it"
MESSAGES = [
    {"role": "user", "content": "Please write a short poem about open source for me."},
    {"role": "assistant", "content": "Code shared in the open grows like a garden tended by many hands."},
    {"role": "user", "content": "Now make it rhyme, in four lines."},
]
WARM_REPEAT = 200
LOAD_REPEAT = 20
TARGET_WARM_MS = 2.0


def _ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def run() -> list[report.Row]:
    with stack.scratch_stack():
        from playground_app import chat_templates

        revision = ""  # the repository's main revision, as the mirror has it for a new endpoint
        token = stack.DEMO_TOKEN

        def cached_preview() -> object:
            tokenizer = chat_templates.tokenizers.get(REPOSITORY, revision, token)
            return chat_templates.preview(tokenizer, REPOSITORY, MESSAGES)

        def preview_loading_the_tokenizer() -> object:
            tokenizer = chat_templates.load_tokenizer(REPOSITORY, revision, token)
            return chat_templates.preview(tokenizer, REPOSITORY, MESSAGES)

        first = _ms(cached_preview)  # downloads the tokenizer from hubsim into an empty cache
        warm = statistics.median(_ms(cached_preview) for _ in range(WARM_REPEAT))
        loading = statistics.median(_ms(preview_loading_the_tokenizer) for _ in range(LOAD_REPEAT))
    return [
        report.Row("chat template", "first preview (download + load), ms", first, loading, "reported"),
        report.Row(
            "chat template", "warm preview p50, ms", warm, loading, f"<= {TARGET_WARM_MS:g} ms",
            warm <= TARGET_WARM_MS,
        ),
    ]  # fmt: skip


if __name__ == "__main__":
    report.main(run)
