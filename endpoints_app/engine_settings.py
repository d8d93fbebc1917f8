"""What the create and update forms offer for each engine, and where each setting goes in the API payload.

An engine is deployed by the variant of `model.image` named for it (engines.py, `EngineTraits.image_key`), and
the API keeps only the fields that variant declares, dropping any other without an error (hubsim/endpoints/
images.py, from huggingface_hub's `_set_parallelism_in_image` and the Go client sebps/huggingface-client
`client/models.go`). So a setting is sent:

- as a field of the variant when it declares one: vLLM's and SGLang's `tensorParallelSize`, vLLM's
  `dataParallelSize`, llama.cpp's `modelPath`, `ctxSize`, `nParallel`, TEI's `maxBatchTokens`,
  `maxConcurrentRequests`, `pooling`, TGI's four limits and `quantize`;
- else as the engine's own command-line flag in the container arguments, `model.args` (huggingface_hub's
  `container_args`: "Arguments appended to the container entrypoint ... Works with both managed engine images
  (e.g. vLLM, SGLang) and custom images"). The Endpoints documentation says to pass vLLM's engine arguments
  and SGLang's server arguments that way (hf-endpoints-documentation `engines/vllm.md`, `engines/sglang.md`:
  "as container arguments"), and both engines read these settings from their command line, not from their
  environment: vLLM's `--max-num-seqs`, `--max-num-batched-tokens`, `--kv-cache-dtype` (vllm
  `vllm/engine/arg_utils.py`, `EngineArgs`, flags named after its fields; `vllm/config/cache.py`,
  `CacheDType`), SGLang's `--max-running-requests`, `--max-prefill-tokens`, `--chunked-prefill-size`,
  `--kv-cache-dtype` (sglang `python/sglang/srt/server_args.py`). The choices offered are those of the
  Endpoints documentation's pages of each engine.

No setting goes in `model.env`: each one offered has a field or a flag. The form's environment stays free for
what an engine reads from its environment (TGI's launcher reads each of its arguments from one, `MODEL_ID`
for the tutorial's custom TGI container; llama.cpp's `LLAMA_ARG_*`, `engines/llama_cpp.md`).

Images and ports: each engine's published image (the tags hubsim's catalog recipes run) and the port it
listens on by default (vLLM 8000, SGLang 30000, llama.cpp's server 8080, TEI and TGI 80 in their images).
"""

import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from endpoints_app.engines import TRAITS, Engine
from endpoints_app.hf.remote import CustomImage

DEFAULT_HEALTH_ROUTE = "/health"  # every engine's (hubsim/README.md, "The inference servers")
DEFAULT_VARIANT = "huggingface"  # what the API runs without a custom image: the Inference Toolkit
CUSTOM_VARIANT = "custom"
GGUF_DIRECTORY = "/repository/"  # where a container finds the repository (engines/custom_container.md)


@dataclass(frozen=True)
class Setting:
    """One setting of an engine: a field of its image variant (`image_field`), or a command-line flag."""

    name: str  # the form field is "<variant>_<name>", in lowercase
    label: str
    help_text: str = ""
    image_field: str = ""
    flag: str = ""
    choices: tuple[str, ...] = ()  # a choice among these; else a whole number (or `text`)
    minimum: int = 1
    text: bool = False
    required: bool = False
    prefix: str = ""  # what the API's value has before the typed one (a GGUF file's directory)

    def to_api(self, value: Any) -> Any:
        return f"{self.prefix}{value}" if self.prefix else value

    def from_api(self, value: Any) -> Any:
        if self.prefix and isinstance(value, str) and value.startswith(self.prefix):
            return value[len(self.prefix) :]
        return value


@dataclass(frozen=True)
class EngineOption:
    """An engine the create form offers: its image variant, image, port and settings."""

    engine: Engine
    label: str
    summary: str
    images: dict[str, str] = field(default_factory=dict)  # published image by accelerator ("" for any)
    port: int | None = None
    settings: tuple[Setting, ...] = ()

    @property
    def variant(self) -> str:
        return TRAITS[self.engine].image_key

    @property
    def in_maintenance(self) -> bool:
        return TRAITS[self.engine].in_maintenance

    @property
    def is_container(self) -> bool:
        """False for the default container, which takes no image URL, port or arguments."""
        return self.variant != DEFAULT_VARIANT

    def default_image(self, accelerator: str) -> str:
        return self.images.get(accelerator) or self.images.get("", "")

    def field_name(self, setting: Setting) -> str:
        return f"{self.variant.lower()}_{setting.name}"


def _kv_cache_dtype(choices: tuple[str, ...]) -> Setting:
    return Setting(
        "kv_cache_dtype",
        "KV cache dtype",
        "Lower precision keeps more tokens in memory, at a small cost in quality. Empty: the engine's own.",
        flag="--kv-cache-dtype",
        choices=choices,
    )


TENSOR_PARALLEL = Setting(
    "tensor_parallel_size",
    "Tensor parallel size",
    "GPUs each copy of the model is split over. Empty: all the instance's GPUs.",
    image_field="tensorParallelSize",
)

OPTIONS: tuple[EngineOption, ...] = (
    EngineOption(
        Engine.VLLM,
        "vLLM",
        "Recommended for text generation: continuous batching, paged attention, OpenAI-compatible API.",
        images={"": "vllm/vllm-openai:v0.11.0"},
        port=8000,
        settings=(
            Setting(
                "max_num_seqs",
                "Max sequences",
                "Requests processed together in one batch.",
                flag="--max-num-seqs",
            ),
            Setting(
                "max_num_batched_tokens",
                "Max batched tokens",
                "Tokens of all sequences processed in one batch.",
                flag="--max-num-batched-tokens",
            ),
            TENSOR_PARALLEL,
            Setting(
                "data_parallel_size",
                "Data parallel size",
                "Copies of the model, each on tensor-parallel-size GPUs. Empty: one.",
                image_field="dataParallelSize",
            ),
            _kv_cache_dtype(("auto", "fp8", "fp8_e5m2", "fp8_e4m3")),
        ),
    ),
    EngineOption(
        Engine.SGLANG,
        "SGLang",
        "Fast serving of text and vision-language models, OpenAI-compatible API.",
        images={"": "lmsysorg/sglang:v0.5.2"},
        port=30000,
        settings=(
            Setting(
                "max_running_requests",
                "Max running requests",
                "Requests served at once.",
                flag="--max-running-requests",
            ),
            Setting(
                "max_prefill_tokens",
                "Max prefill tokens",
                "Tokens of prompts processed in one prefill batch.",
                flag="--max-prefill-tokens",
            ),
            Setting(
                "chunked_prefill_size",
                "Chunked prefill size",
                "Tokens of a long prompt processed at once; -1 turns chunking off.",
                flag="--chunked-prefill-size",
                minimum=-1,
            ),
            TENSOR_PARALLEL,
            _kv_cache_dtype(("auto", "fp8_e5m2", "fp8_e4m3")),
        ),
    ),
    EngineOption(
        Engine.LLAMACPP,
        "llama.cpp",
        "GGUF files, on CPU or GPU.",
        images={"gpu": "ghcr.io/ggml-org/llama.cpp:server-cuda", "": "ghcr.io/ggml-org/llama.cpp:server"},
        port=8080,
        settings=(
            Setting(
                "gguf_file",
                "GGUF file",
                "A file of the repository, e.g. qwen2.5-0.5b-instruct-q4_k_m.gguf.",
                image_field="modelPath",
                text=True,
                required=True,
                prefix=GGUF_DIRECTORY,
            ),
            Setting(
                "ctx_size",
                "Context size",
                "Tokens of context, shared by the concurrent requests.",
                image_field="ctxSize",
            ),
            Setting(
                "n_parallel",
                "Concurrent requests",
                "Requests served at once (each gets an equal share of the context).",
                image_field="nParallel",
            ),
        ),
    ),
    EngineOption(
        Engine.TEI,
        "Text Embeddings Inference",
        "Embeddings, for search and similarity.",
        images={
            "cpu": "ghcr.io/huggingface/text-embeddings-inference:cpu-1.9",
            "": "ghcr.io/huggingface/text-embeddings-inference:1.9",
        },
        port=80,
        settings=(
            Setting(
                "max_batch_tokens",
                "Max batch tokens",
                "Tokens in a batch before requests wait in the queue.",
                image_field="maxBatchTokens",
            ),
            Setting(
                "max_concurrent_requests",
                "Max concurrent requests",
                "Requests served at once.",
                image_field="maxConcurrentRequests",
            ),
            # text-embeddings-inference `backends/core/src/lib.rs`, `Pool`, as its launcher spells them.
            Setting(
                "pooling",
                "Pooling",
                "Overrides the model's pooling. Empty: the model's configuration.",
                image_field="pooling",
                choices=("cls", "mean", "splade", "last-token"),
            ),
        ),
    ),
    EngineOption(
        Engine.TGI,
        "Text Generation Inference",
        "In maintenance since 2025-12-11: Hugging Face recommends vLLM or SGLang for new endpoints.",
        images={"": "ghcr.io/huggingface/text-generation-inference:3.3.7"},
        port=80,
        settings=(
            Setting("max_input_length", "Max input tokens", "Per request.", image_field="maxInputLength"),
            Setting(
                "max_total_tokens",
                "Max tokens",
                "Input and generated tokens of a request.",
                image_field="maxTotalTokens",
            ),
            Setting(
                "max_batch_prefill_tokens", "Max batch prefill tokens", image_field="maxBatchPrefillTokens"
            ),
            Setting("max_batch_total_tokens", "Max batch total tokens", image_field="maxBatchTotalTokens"),
            # text-generation-inference `launcher/src/main.rs`, `Quantization`.
            Setting(
                "quantize",
                "Quantization",
                "Empty: none, or the one the model's configuration names.",
                image_field="quantize",
                choices=(
                    "awq",
                    "eetq",
                    "exl2",
                    "gptq",
                    "marlin",
                    "bitsandbytes",
                    "bitsandbytes-nf4",
                    "bitsandbytes-fp4",
                    "fp8",
                ),
            ),
        ),
    ),
    EngineOption(
        Engine.UNKNOWN,
        "Custom container",
        "An image of your own (or an engine's image run as a plain container, as the tutorial runs TGI).",
    ),
    EngineOption(
        Engine.TOOLKIT,
        "Default container",
        "The service's Inference Toolkit, by task: text-to-image, classification, and the like.",
    ),
)
OPTIONS_BY_VARIANT = {option.variant: option for option in OPTIONS}
# The engine a task starts with on the create form (vLLM for text, TEI for embeddings, else the default).
DEFAULT_VARIANT_BY_TASK = {
    "text-generation": "vLLM",
    "image-text-to-text": "vLLM",
    "feature-extraction": "tei",
    "sentence-similarity": "tei",
    "custom": CUSTOM_VARIANT,
}


def option_of(variant: str) -> EngineOption | None:
    return OPTIONS_BY_VARIANT.get(variant)


@dataclass(frozen=True)
class ImageSettings:
    """An endpoint's engine as its `model` JSON says it: the image's variant and container, the value of each
    setting the console offers, the image fields it does not offer, and the other container arguments."""

    variant: str
    url: str = ""
    health_route: str = DEFAULT_HEALTH_ROUTE
    port: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # by setting name
    other_fields: dict[str, Any] = field(default_factory=dict)
    other_args: tuple[str, ...] = ()

    @property
    def option(self) -> EngineOption | None:
        return option_of(self.variant)

    @property
    def has_credentials(self) -> bool:
        """A registry login: the API shows it redacted, so this image cannot be sent back."""
        return "credentials" in self.other_fields

    def as_image(self) -> CustomImage:
        """The image to send for these settings. An update sends the whole image (the API replaces
        `model.image` as a whole), so the fields the console does not offer go back as they are."""
        own = image_fields(self.option, self.values) if self.option else {}
        return CustomImage(
            url=self.url,
            health_route=self.health_route,
            variant=self.variant,
            port=self.port,
            settings={**self.other_fields, **own},
        )


CONTAINER_FIELDS = ("url", "healthRoute", "port")


def read_settings(model: dict[str, Any]) -> ImageSettings:
    """The engine settings of an endpoint's `model` JSON (the API's answer)."""
    image = model.get("image") or {DEFAULT_VARIANT: {}}
    variant, config = next(iter(image.items()))
    config = dict(config or {})
    option = option_of(variant)
    settings = option.settings if option else ()
    flags = {setting.flag for setting in settings if setting.flag}
    flag_values, other_args = split_flags(model.get("args") or (), flags)
    values: dict[str, Any] = {}
    for setting in settings:
        if setting.image_field and setting.image_field in config:
            values[setting.name] = setting.from_api(config.pop(setting.image_field))
        elif setting.flag in flag_values:
            values[setting.name] = _typed(setting, flag_values[setting.flag])
    return ImageSettings(
        variant=variant,
        url=str(config.pop("url", "")),
        health_route=config.pop("healthRoute", None) or DEFAULT_HEALTH_ROUTE,
        port=config.pop("port", None),
        values=values,
        other_fields=config,
        other_args=tuple(other_args),
    )


def image_fields(option: EngineOption, values: dict[str, Any]) -> dict[str, Any]:
    """The variant's own fields for these setting values (unset ones left out)."""
    return {
        setting.image_field: setting.to_api(values[setting.name])
        for setting in option.settings
        if setting.image_field and values.get(setting.name) not in (None, "")
    }


def container_args(option: EngineOption | None, values: dict[str, Any], other_args: Iterable[str]) -> tuple:
    """`model.args`: the engine's flags for these setting values, then the other arguments as typed."""
    flags: list[str] = []
    for setting in option.settings if option else ():
        if setting.flag and values.get(setting.name) not in (None, ""):
            flags += [setting.flag, str(values[setting.name])]
    return (*flags, *other_args)


def split_flags(args: Iterable[str], flags: set[str]) -> tuple[dict[str, str], list[str]]:
    """The values of `flags` in a command line (`--flag value` or `--flag=value`), and the other arguments."""
    values: dict[str, str] = {}
    rest: list[str] = []
    pending: str | None = None
    for arg in args:
        if pending is not None:
            values[pending], pending = arg, None
            continue
        name, equals, value = arg.partition("=")
        if name in flags:
            if equals:
                values[name] = value
            else:
                pending = name
            continue
        rest.append(arg)
    if pending is not None:
        rest.append(pending)  # a flag without its value: kept as it was written
    return values, rest


def join_args(args: Iterable[str]) -> str:
    """Arguments as a person types them in a shell (what `parse_args` reads back)."""
    return shlex.join(args)


def parse_args(text: str) -> tuple[str, ...]:
    """A line of container arguments, split the way a shell (and huggingface_hub's CLI) splits them."""
    return tuple(shlex.split(text))


def _typed(setting: Setting, value: str) -> Any:
    if setting.text or setting.choices:
        return value
    try:
        return int(value)
    except ValueError:
        return value
