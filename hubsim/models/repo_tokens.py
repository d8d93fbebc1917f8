"""What a text engine needs to know of a repository's tokenizer: ids, special and stop tokens, and the text
its chat prompts end with when the assistant is to answer."""

from dataclasses import dataclass
from functools import cache

from tokenizers import Tokenizer

from .catalog import get_repo
from .chat_templates import ChatTemplateError, render_chat
from .families import text_family
from .generation_loop import TokenVocabulary
from .repo_files import repo_files

_MARK = "\x00"  # a character no prompt contains


@dataclass(frozen=True)
class RepoTokens:
    tokenizer: Tokenizer  # exactly the repository's tokenizer.json
    vocabulary: TokenVocabulary
    end_of_turn_id: int
    # The text a chat prompt ends with when the assistant is to answer (None: no chat template).
    reply_cue: str | None
    special_tokens: tuple[str, ...]

    def topic_texts(self, prompt: str) -> list[str]:
        """Where to look for what the prompt is about, best first: its last message (the text after the last
        special token, once the reply cue is cut off), then the whole prompt."""
        if self.reply_cue and prompt.endswith(self.reply_cue):
            prompt = prompt.removesuffix(self.reply_cue)
        for token in self.special_tokens:
            prompt = prompt.replace(token, _MARK)
        return [prompt.rsplit(_MARK, 1)[-1], prompt.replace(_MARK, " ")]


@cache
def repo_tokens(repo_id: str) -> RepoTokens:
    """Raises LookupError for a repository that is not a text model."""
    family = text_family(repo_id)
    spec = get_repo(repo_id)
    # A GGUF repository has no tokenizer.json: its tokenizer is the one of the model it was converted from.
    tokenizer_repo = spec.base_model if spec and spec.base_model else repo_id
    tokenizer = Tokenizer.from_str(repo_files(tokenizer_repo)["tokenizer.json"].decode())
    vocabulary = TokenVocabulary(
        size=tokenizer.get_vocab_size(),
        decode=lambda ids: tokenizer.decode(ids, skip_special_tokens=False),
        special_ids=frozenset(tokenizer.token_to_id(token) for token in family.special_tokens),
        stop_ids=frozenset(tokenizer.token_to_id(token) for token in family.stop_tokens),
    )
    end_of_turn_id = tokenizer.token_to_id(family.end_of_turn)
    return RepoTokens(tokenizer, vocabulary, end_of_turn_id, _reply_cue(repo_id), family.special_tokens)


def _reply_cue(repo_id: str) -> str | None:
    try:
        rendered = render_chat(repo_id, [{"role": "user", "content": _MARK}], add_generation_prompt=True)
    except ChatTemplateError:
        return None  # no chat template
    return rendered.split(_MARK)[-1]


def detokenize(repo_id: str, ids: list[int]) -> str:
    """The text of token ids, special tokens written out."""
    return repo_tokens(repo_id).vocabulary.decode(ids)
