"""Generation parameters, their limits and the tutorial's defaults, for chat and for images."""

from dataclasses import asdict, dataclass, field
from typing import Any

# The tutorial's values: temperature 0.2, max_new_tokens 100, seed 42.
DEFAULT_TEMPERATURE = 0.2
DEFAULT_MAX_NEW_TOKENS = 100
DEFAULT_SEED = 42

TEMPERATURE_RANGE = (0.01, 2.0)  # TGI refuses 0: leave it empty for greedy decoding
TOP_P_RANGE = (0.01, 1.0)
MAX_NEW_TOKENS_RANGE = (1, 2048)
REPETITION_PENALTY_RANGE = (0.5, 2.0)
SEED_RANGE = (0, 2**32 - 1)
MAX_STOP_SEQUENCES = 4  # TGI's limit
MAX_STOP_SEQUENCE_LENGTH = 50


@dataclass(frozen=True)
class ChatParameters:
    """What a person may tune for an answer; None means "not sent" (the server's default)."""

    temperature: float | None = DEFAULT_TEMPERATURE
    top_p: float | None = None
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS
    seed: int | None = DEFAULT_SEED
    stop: tuple[str, ...] = field(default_factory=tuple)
    repetition_penalty: float | None = None

    def as_json(self) -> dict[str, Any]:
        values = asdict(self)
        values["stop"] = list(self.stop)
        return values

    @classmethod
    def from_json(cls, values: dict[str, Any] | None) -> "ChatParameters":
        """Parameters stored with a conversation; unknown keys (from an older version) are ignored."""
        if not values:
            return cls()
        known = {name: values[name] for name in cls.__dataclass_fields__ if name in values}
        known["stop"] = tuple(known.get("stop") or ())
        return cls(**known)

    def tgi_parameters(self) -> dict[str, Any]:
        """`parameters` of a raw TGI request, as in the tutorial (`return_full_text: false`)."""
        values: dict[str, Any] = {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_new_tokens": self.max_new_tokens,
            "seed": self.seed,
            "repetition_penalty": self.repetition_penalty,
            "stop": list(self.stop) or None,
        }
        return {**_without_none(values), "return_full_text": False}

    def chat_completion_arguments(self) -> dict[str, Any]:
        """The OpenAI-compatible routes' names (`max_tokens`), for chat and completions alike; repetition
        penalty has no equivalent there."""
        values = {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_new_tokens,
            "seed": self.seed,
            "stop": list(self.stop) or None,
        }
        return _without_none(values)


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


# --- Images ------------------------------------------------------------------------------------------
IMAGE_SIZE_RANGE = (256, 2048)  # SDXL is trained at 1024; sizes must be multiples of 8
IMAGE_SIZE_STEP = 8
DEFAULT_IMAGE_SIZE = 1024
STEPS_RANGE = (1, 100)
DEFAULT_STEPS = 30
GUIDANCE_RANGE = (0.0, 30.0)
DEFAULT_GUIDANCE = 7.5
IMAGE_COUNT_RANGE = (1, 4)


@dataclass(frozen=True)
class ImageParameters:
    prompt: str
    negative_prompt: str = ""
    width: int = DEFAULT_IMAGE_SIZE
    height: int = DEFAULT_IMAGE_SIZE
    num_inference_steps: int = DEFAULT_STEPS
    guidance_scale: float = DEFAULT_GUIDANCE
    seed: int = 0

    def request_body(self) -> dict[str, Any]:
        """`{"inputs", "parameters"}` as InferenceClient.text_to_image posts it."""
        parameters: dict[str, Any] = {
            "width": self.width,
            "height": self.height,
            "num_inference_steps": self.num_inference_steps,
            "guidance_scale": self.guidance_scale,
            "seed": self.seed,
        }
        if self.negative_prompt:
            parameters["negative_prompt"] = self.negative_prompt
        return {"inputs": self.prompt, "parameters": parameters}

    def text_chunks(self) -> dict[str, str]:
        """The parameters as PNG text chunks (strings), so the file alone says how it was made."""
        return {key: str(value) for key, value in asdict(self).items()}
