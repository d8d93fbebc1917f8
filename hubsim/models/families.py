"""Tokenizer and chat conventions of each text model family, as the family's real repositories ship them."""

from dataclasses import dataclass, field
from typing import Literal

from .catalog import get_repo


@dataclass(frozen=True)
class TextFamily:
    name: str
    # Added after the shared base vocabulary, in this order (so their ids are base_size, base_size + 1, ...).
    special_tokens: tuple[str, ...]
    # The named special tokens transformers exposes (and passes to chat templates): bos_token, eos_token ...
    named_tokens: dict[str, str] = field(hash=False)
    # The token a reply ends with.
    end_of_turn: str
    # generation_config.json's eos_token_id: generation stops on any of these.
    stop_tokens: tuple[str, ...]
    # Whether encoding a text puts bos_token in front of it, as Llama-style tokenizers do.
    adds_bos: bool
    # File under templates/, or None for models without a chat template.
    template: str | None
    # "text": the template reads message content as a string; "parts": as a list of typed parts.
    content_style: Literal["text", "parts"]
    model_type: str
    architecture: str
    context_length: int
    # How text is split before byte-level BPE: GPT-2's rule, or Qwen2's (NFC, then its own regex).
    # transformers rebuilds a qwen2 model's tokenizer with Qwen2's rule whatever tokenizer.json says.
    pretokenization: Literal["gpt2", "qwen2"] = "gpt2"
    # BERT-style encoders put one token before and one after each sentence ([CLS] ... [SEP]).
    sentence_wrap: tuple[str, str] | None = None


_LLAMA_STYLE = ("<unk>", "<s>", "</s>")
_LLAMA_NAMES = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}

_FAMILIES = (
    TextFamily(
        name="gemma",
        special_tokens=("<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"),
        named_tokens={"bos_token": "<bos>", "eos_token": "<eos>", "unk_token": "<unk>", "pad_token": "<pad>"},
        end_of_turn="<end_of_turn>",
        stop_tokens=("<eos>", "<end_of_turn>"),
        adds_bos=True,
        template="gemma.jinja",
        content_style="text",
        model_type="gemma",
        architecture="GemmaForCausalLM",
        context_length=8192,
    ),
    TextFamily(
        name="chatml",
        special_tokens=("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
        named_tokens={"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
        end_of_turn="<|im_end|>",
        stop_tokens=("<|im_end|>", "<|endoftext|>"),
        adds_bos=False,
        template="chatml.jinja",
        content_style="text",
        model_type="qwen2",
        architecture="Qwen2ForCausalLM",
        context_length=32768,
        pretokenization="qwen2",
    ),
    TextFamily(
        name="llama3",
        special_tokens=(
            "<|begin_of_text|>",
            "<|end_of_text|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
        ),
        named_tokens={"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
        end_of_turn="<|eot_id|>",
        stop_tokens=("<|end_of_text|>", "<|eot_id|>"),
        adds_bos=True,
        template="llama3.jinja",
        content_style="text",
        model_type="llama",
        architecture="LlamaForCausalLM",
        context_length=8192,
    ),
    TextFamily(
        name="mistral",
        special_tokens=_LLAMA_STYLE,
        named_tokens=_LLAMA_NAMES,
        end_of_turn="</s>",
        stop_tokens=("</s>",),
        adds_bos=True,
        template="mistral.jinja",
        content_style="text",
        model_type="mistral",
        architecture="MistralForCausalLM",
        context_length=32768,
    ),
    TextFamily(
        name="idefics2",
        special_tokens=(*_LLAMA_STYLE, "<fake_token_around_image>", "<image>", "<end_of_utterance>"),
        named_tokens={**_LLAMA_NAMES, "pad_token": "<unk>"},
        end_of_turn="<end_of_utterance>",
        stop_tokens=("</s>", "<end_of_utterance>"),
        adds_bos=True,
        template="idefics2.jinja",
        content_style="parts",
        model_type="idefics2",
        architecture="Idefics2ForConditionalGeneration",
        context_length=32768,
    ),
    TextFamily(
        name="gpt2",
        special_tokens=("<|endoftext|>",),
        named_tokens=dict.fromkeys(("bos_token", "eos_token", "unk_token"), "<|endoftext|>"),
        end_of_turn="<|endoftext|>",
        stop_tokens=("<|endoftext|>",),
        adds_bos=False,
        template=None,
        content_style="text",
        model_type="gpt2",
        architecture="GPT2LMHeadModel",
        context_length=1024,
    ),
    TextFamily(
        name="bert",
        special_tokens=("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"),
        named_tokens={
            "unk_token": "[UNK]",
            "sep_token": "[SEP]",
            "pad_token": "[PAD]",
            "cls_token": "[CLS]",
            "mask_token": "[MASK]",
        },
        end_of_turn="[SEP]",
        stop_tokens=("[SEP]",),
        adds_bos=False,
        template=None,
        content_style="text",
        model_type="bert",
        architecture="BertModel",
        context_length=512,
        sentence_wrap=("[CLS]", "[SEP]"),
    ),
)

_BY_NAME = {family.name: family for family in _FAMILIES}


class NotATextModelError(LookupError):
    """The repository is unknown or does not hold a text model (e.g. a diffusers pipeline)."""


def text_family(repo_id: str) -> TextFamily:
    spec = get_repo(repo_id)
    family = _BY_NAME.get(spec.family) if spec else None
    if family is None:
        raise NotATextModelError(f"{repo_id!r} is not a text model repository served by hubsim")
    return family
