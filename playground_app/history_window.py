"""How much of a conversation is sent: the oldest turns are left out until the rest fits what the endpoint
accepts (playground_app.context_limits), the system prompt and the latest question always kept; only the
newest image is sent again.

Counting is cheap first: a token covers at least one byte of UTF-8 (byte-level BPE and SentencePiece's byte
fallback alike), so a turn's bytes plus an allowance for what the chat template writes around it bound its
tokens from above. The tokenizer counts (the chat template applied, as the preview does) only when that bound
does not fit; without a tokenizer the bound is used, which leaves out more turns, never too few.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from endpoints_app.models import Endpoint
from playground_app import chat_templates
from playground_app.context_limits import ContextLimit, endpoint_limit
from playground_app.history import Turn, template_messages
from playground_app.models import Role

# What a chat template writes around each message (role markers, separators: Gemma's `<start_of_turn>user\n`
# ... `<end_of_turn>\n` is 5 tokens, Llama 3's header 5), and once per prompt (begin-of-text, Llama 3's
# "Cutting Knowledge Date" lines, the answer's opening): generous, assumed.
TURN_ALLOWANCE = 32
PROMPT_ALLOWANCE = 128
# An image becomes a number of tokens that depends on the model and the image (Idefics2: 64, or 320 when it
# is split; LLaVA 1.5: 576), which no tokenizer of text tells: each image sent counts as this many (assumed).
IMAGE_ALLOWANCE = 1024
IMAGE_NOT_SENT_AGAIN = "(An image was attached to this message; it is not sent again.)"


class TooLong(ValueError):
    """The latest question alone does not fit; `str(error)` says so for a person."""


@dataclass(frozen=True)
class Window:
    """The turns to send, and why some were left out (`notice`, empty when none was)."""

    turns: list[Turn]
    left_out: int = 0
    notice: str = ""


def newest_image_only(turns: list[Turn]) -> list[Turn]:
    """The model keeps nothing between requests, so a follow-up about a picture needs it again: the most
    recent turn with an image keeps it; older ones are sent as text with a note that an image was there."""
    newest = max((index for index, turn in enumerate(turns) if turn.image is not None), default=None)
    return [
        turn
        if turn.image is None or index == newest
        else replace(turn, image=None, text=f"{IMAGE_NOT_SENT_AGAIN}\n{turn.text}".rstrip())
        for index, turn in enumerate(turns)
    ]


@dataclass
class TokenCount:
    """Counts the tokens of a prompt: the cheap bound, then the tokenizer when it can be had."""

    endpoint: Endpoint
    token: str
    system_prompt: str
    multimodal: bool
    _template: chat_templates.ChatTemplate | None = field(default=None, init=False, repr=False)
    _no_template: bool = field(default=False, init=False, repr=False)  # it could not be had: bounds only

    def bound(self, turns: list[Turn]) -> int:
        texts = [self.system_prompt, *(turn.text for turn in turns)]
        return (
            sum(len(text.encode()) for text in texts)
            + TURN_ALLOWANCE * len(texts)
            + PROMPT_ALLOWANCE
            + self.images(turns)
        )

    def images(self, turns: list[Turn]) -> int:
        return IMAGE_ALLOWANCE * sum(turn.image is not None for turn in turns)

    def exact(self, turns: list[Turn], *, images: bool = True) -> int | None:
        """The tokenizer's count (with each image's assumed allowance, unless `images` is False), None when
        no tokenizer or template can be had."""
        template = self.template()
        if template is None:
            return None
        messages: list[dict[str, Any]] = template_messages(
            self.system_prompt, turns, multimodal=self.multimodal
        )
        try:
            count = chat_templates.preview(template, messages).token_count
        except chat_templates.ChatTemplateProblem:
            return None
        return count + self.images(turns) if images else count

    def template(self) -> chat_templates.ChatTemplate | None:
        if self._template is None and not self._no_template:
            try:
                self._template = chat_templates.template_for(self.endpoint, self.token)
            except chat_templates.ChatTemplateProblem:
                self._no_template = True
        return self._template

    def at_most(self, turns: list[Turn], budget: int) -> tuple[bool, int]:
        """Whether the prompt fits `budget`, and its count (the tokenizer's when it was needed)."""
        bound = self.bound(turns)
        if bound <= budget:
            return True, bound
        exact = self.exact(turns)
        count = bound if exact is None else exact
        return count <= budget, count


def fit_history(
    endpoint: Endpoint,
    token: str,
    system_prompt: str,
    turns: list[Turn],
    max_new_tokens: int,
    *,
    multimodal: bool,
) -> Window:
    """The turns to send to `endpoint`, the newest image only; raises TooLong when the tokenizer counts the
    latest question alone over what the endpoint accepts."""
    turns = newest_image_only(turns)
    limit = endpoint_limit(endpoint, token) if turns else None
    if limit is None:
        return Window(turns)
    budget = limit.input_budget(max_new_tokens)
    counter = TokenCount(endpoint, token, system_prompt, multimodal)
    if counter.bound(turns) <= budget:
        return Window(turns)
    # A history starts with a question (templates like Gemma's insist on alternating turns).
    starts = [index for index, turn in enumerate(turns) if turn.role == Role.USER] or [len(turns) - 1]
    latest = turns[starts[-1] :]
    if counter.at_most(latest, budget)[0]:
        first = longest_fitting(len(starts), lambda index: counter.at_most(turns[starts[index] :], budget)[0])
        kept = turns[starts[first] :]
    else:
        # Refused only when the tokenizer counts its text alone over the budget: the upper bound and the
        # images' assumed allowance may count too much, and the endpoint then answers, or says why not.
        text_count = counter.exact(latest, images=False)
        if text_count is not None and text_count > budget:
            raise TooLong(_too_long(endpoint, limit, max_new_tokens, text_count))
        kept = latest
    left_out = len(turns) - len(kept)
    return Window(kept, left_out, _notice(endpoint, limit, left_out) if left_out else "")


def longest_fitting(count: int, fits: Callable[[int], bool]) -> int:
    """The smallest index whose suffix fits, the last one fitting (a suffix of one that fits fits too).

    Galloping back from the end, then halving: the counts made cover about the turns kept, not the whole
    history, which may be hundreds of turns longer."""
    good, bad, step = count - 1, -1, 1
    while good - step >= 0:
        if not fits(good - step):
            bad = good - step
            break
        good, step = good - step, step * 2
    while good - bad > 1:
        middle = (good + bad) // 2
        if fits(middle):
            good = middle
        else:
            bad = middle
    return good


def _notice(endpoint: Endpoint, limit: ContextLimit, left_out: int) -> str:
    messages = "1 earlier message was" if left_out == 1 else f"{left_out} earlier messages were"
    return f"{messages} not sent: {endpoint.full_name} accepts {limit.accepted:,} tokens."


def _too_long(endpoint: Endpoint, limit: ContextLimit, max_new_tokens: int, count: int) -> str:
    kept = f", {max_new_tokens:,} of them kept for the answer" if limit.total is not None else ""
    return (
        f"Your message is too long for {endpoint.full_name}: it accepts {limit.accepted:,} tokens{kept}, and "
        f"the message with the system prompt takes about {count:,}. Shorten it or the system prompt"
        + (", or lower Max new tokens." if limit.total is not None else ".")
    )
