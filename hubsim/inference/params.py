"""Reading and validating generation parameters as TGI's router does (422, error_type "validation")."""

import random
from dataclasses import dataclass
from typing import Any

from hubsim.errors import ApiError
from hubsim.models import GenerationParams

MAX_INPUT_TOKENS = 4095
MAX_TOTAL_TOKENS = 4096
MAX_STOP_SEQUENCES = 4
MAX_BEST_OF = 2
# hubsim's default when a request names no limit (TGI's own default depends on the model's context).
DEFAULT_MAX_NEW_TOKENS = 100


def invalid(message: str) -> ApiError:
    return ApiError(422, f"Input validation error: {message}", error_type="validation")


def unreadable(detail: str) -> ApiError:
    return ApiError(
        422, f"Failed to deserialize the JSON body into the target type: {detail}", error_type="validation"
    )


def typed_value(body: dict[str, Any], key: str, kinds: type | tuple[type, ...]) -> Any:
    """``body[key]`` if present and not null, checked against ``kinds`` (booleans are not numbers)."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _as_tuple(kinds)):
        raise unreadable(f"{key}: invalid type {type(value).__name__}")
    return value


def _as_tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def object_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise unreadable("expected a JSON object")
    return body


@dataclass(frozen=True)
class SamplingRequest:
    """The sampling knobs common to /generate, /v1/completions and /v1/chat/completions."""

    max_new_tokens: int
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    do_sample: bool = False

    @property
    def samples(self) -> bool:
        return self.do_sample or any(
            value is not None for value in (self.temperature, self.top_p, self.top_k)
        )

    def to_params(self) -> GenerationParams:
        """The engine's parameters; a sampling request without a seed gets a random one (reported back)."""
        seed = self.seed
        if seed is None and self.samples:
            seed = random.randint(1, 2**63 - 1)
        return GenerationParams(
            max_new_tokens=self.max_new_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            repetition_penalty=self.repetition_penalty,
            seed=seed,
            stop=self.stop,
            do_sample=self.do_sample,
        )


def read_sampling(body: dict[str, Any], *, max_tokens_key: str) -> SamplingRequest:
    max_new_tokens = typed_value(body, max_tokens_key, int)
    temperature = typed_value(body, "temperature", (int, float))
    top_p = typed_value(body, "top_p", (int, float))
    top_k = typed_value(body, "top_k", int)
    repetition_penalty = typed_value(body, "repetition_penalty", (int, float))
    frequency_penalty = typed_value(body, "frequency_penalty", (int, float))
    seed = typed_value(body, "seed", int)
    stop = typed_value(body, "stop", (list, str)) or []
    stop = [stop] if isinstance(stop, str) else stop
    if max_new_tokens is not None and max_new_tokens <= 0:
        raise invalid(f"`{max_tokens_key}` must be strictly positive")
    if temperature is not None and temperature <= 0:
        raise invalid("`temperature` must be strictly positive")
    if top_p is not None and not 0 < top_p <= 1:
        raise invalid("`top_p` must be > 0.0 and < 1.0")
    if top_k is not None and top_k <= 0:
        raise invalid("`top_k` must be strictly positive")
    if repetition_penalty is not None and repetition_penalty <= 0:
        raise invalid("`repetition_penalty` must be strictly positive")
    if frequency_penalty is not None and not -2 <= frequency_penalty <= 2:
        raise invalid("`frequency_penalty` must be >= -2.0 and <= 2.0")
    if seed is not None and seed < 0:
        raise invalid("`seed` must be a positive integer")
    if len(stop) > MAX_STOP_SEQUENCES:
        raise invalid(f"`stop` supports up to {MAX_STOP_SEQUENCES} stop sequences. Given: {len(stop)}")
    if not all(isinstance(sequence, str) for sequence in stop):
        raise unreadable("stop: expected a list of strings")
    return SamplingRequest(
        max_new_tokens=max_new_tokens or DEFAULT_MAX_NEW_TOKENS,
        # TGI treats temperature 1.0 and top_p 1.0 as "not set".
        temperature=None if temperature == 1 else temperature,
        top_p=None if top_p == 1 else top_p,
        top_k=top_k,
        repetition_penalty=repetition_penalty,
        seed=seed,
        stop=tuple(stop),
        do_sample=bool(typed_value(body, "do_sample", bool)),
    )


@dataclass(frozen=True)
class GenerateRequest:
    """A TGI ``/generate`` request: ``{"inputs", "parameters"}``."""

    inputs: str
    sampling: SamplingRequest
    details: bool
    decoder_input_details: bool
    return_full_text: bool
    best_of: int


def read_generate_request(body: Any) -> GenerateRequest:
    body = object_body(body)
    inputs = typed_value(body, "inputs", str)
    if inputs is None:
        raise unreadable("missing field `inputs`")
    if not inputs:
        raise invalid("`inputs` cannot be empty")
    parameters = typed_value(body, "parameters", dict) or {}
    sampling = read_sampling(parameters, max_tokens_key="max_new_tokens")
    best_of = typed_value(parameters, "best_of", int) or 1
    if not 0 < best_of <= MAX_BEST_OF:
        raise invalid(f"`best_of` must be > 0 and <= {MAX_BEST_OF}. Given: {best_of}")
    if best_of > 1 and not sampling.samples:
        raise invalid("you must use sampling when `best_of` is > 1")
    if best_of > 1 and sampling.seed is not None:
        raise invalid("`seed` must not be set when `best_of` > 1")
    return GenerateRequest(
        inputs=inputs,
        sampling=sampling,
        details=bool(typed_value(parameters, "details", bool)),
        decoder_input_details=bool(typed_value(parameters, "decoder_input_details", bool)),
        return_full_text=bool(typed_value(parameters, "return_full_text", bool)),
        best_of=best_of,
    )


def check_length(input_tokens: int, max_new_tokens: int) -> None:
    if input_tokens > MAX_INPUT_TOKENS:
        raise invalid(f"`inputs` must have less than {MAX_INPUT_TOKENS} tokens. Given: {input_tokens}")
    if input_tokens + max_new_tokens > MAX_TOTAL_TOKENS:
        raise invalid(
            f"`inputs` tokens + `max_new_tokens` must be <= {MAX_TOTAL_TOKENS}."
            f" Given: {input_tokens} `inputs` tokens and {max_new_tokens} `max_new_tokens`"
        )
