"""The tokenizers of the built-in repositories: one byte-level BPE vocabulary trained on the shipped corpus,
plus each family's special tokens."""

from functools import cache

from tokenizers import (
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
    trainers,
)

from .disk_cache import cached_text
from .families import TextFamily
from .paragraphs import load_paragraphs

BASE_VOCAB_SIZE = 4096
_QWEN2_SPLIT = (
    r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"""
    r"""| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
)


@cache
def base_tokenizer_json() -> str:
    return cached_text("base-tokenizer.json", _train_base_tokenizer)


def _train_base_tokenizer() -> str:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=BASE_VOCAB_SIZE, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False
    )
    tokenizer.train_from_iterator([paragraph.text for paragraph in load_paragraphs()], trainer=trainer)
    return tokenizer.to_str()


@cache
def base_vocab_size() -> int:
    return Tokenizer.from_str(base_tokenizer_json()).get_vocab_size()


@cache
def family_tokenizer_json(family: TextFamily) -> str:
    """tokenizer.json of a family: the base vocabulary and merges, the family's way of splitting text, its
    special tokens (numbered after the base vocabulary) and its bos rule."""
    tokenizer = Tokenizer.from_str(base_tokenizer_json())
    if family.pretokenization == "qwen2":
        tokenizer.normalizer = normalizers.NFC()
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(_QWEN2_SPLIT), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    tokenizer.add_special_tokens(
        [AddedToken(token, special=True, normalized=False) for token in family.special_tokens]
    )
    if family.sentence_wrap:
        first, last = family.sentence_wrap
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{first} $A {last}",
            pair=f"{first} $A {last} $B:1 {last}:1",
            special_tokens=[(token, tokenizer.token_to_id(token)) for token in (first, last)],
        )
    elif family.adds_bos:
        bos = family.named_tokens["bos_token"]
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A {bos} $B", special_tokens=[(bos, tokenizer.token_to_id(bos))]
        )
    return tokenizer.to_str(pretty=True)


@cache
def family_tokenizer(family: TextFamily) -> Tokenizer:
    return Tokenizer.from_str(family_tokenizer_json(family))
