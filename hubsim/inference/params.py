"""Reading and validating TGI requests as its router does (router/src/lib.rs and validation.rs, 3.3.7).

A body that does not deserialize into the request type is refused by axum's Json extractor before any
handler runs: 400 for invalid JSON, 422 for a wrong field, as text/plain (``JsonRejection``). A readable
request then goes through ``Validation::validate``: 422 ``{"error": "Input validation error: ...",
"error_type": "validation"}`` (on a streaming route, that error is an event of an HTTP 200 stream instead).
"""

import json
import random
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from hubsim.errors import ApiError
from hubsim.models import GenerationParams

MAX_INPUT_TOKENS = 4095
MAX_TOTAL_TOKENS = 4096
MAX_STOP_SEQUENCES = 4
MAX_BEST_OF = 2
MAX_TOP_N_TOKENS = 5
MAX_CLIENT_BATCH_SIZE = 4
# validation.rs: a request is validated (and scheduled) in chunks of at most this many new tokens.
DEFAULT_GENERATION_LENGTH = 1024


class JsonRejection(ApiError):
    """axum's rejection of a body its Json extractor cannot read: a plain text body."""


def invalid(message: str) -> ApiError:
    return ApiError(422, f"Input validation error: {message}", error_type="validation")


def unreadable(detail: str) -> JsonRejection:
    return JsonRejection(422, f"Failed to deserialize the JSON body into the target type: {detail}")


async def json_body(request: Request) -> Any:
    """The body as axum's Json extractor reads it (content type first, then syntax)."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise JsonRejection(415, "Expected request with `Content-Type: application/json`")
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise JsonRejection(400, f"Failed to parse the request body as JSON: {error}") from error


def typed_value(body: dict[str, Any], key: str, kinds: type | tuple[type, ...]) -> Any:
    """``body[key]`` if present and not null, checked against ``kinds`` (booleans are not numbers)."""
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _as_tuple(kinds)):
        expected = "/".join(kind.__name__ for kind in _as_tuple(kinds))
        raise unreadable(f"{key}: invalid type: {type(value).__name__}, expected {expected}")
    return value


def _as_tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def object_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise unreadable("invalid type: expected a JSON object")
    return body


def string_list(body: dict[str, Any], key: str) -> list[str]:
    """A ``Vec<String>`` field (``stop``): a string alone does not deserialize into it."""
    values = typed_value(body, key, list) or []
    if not all(isinstance(value, str) for value in values):
        raise unreadable(f"{key}: invalid type: expected a sequence of strings")
    return values


@dataclass(frozen=True)
class SamplingRequest:
    """TGI's GenerateParameters, after the request type read them (before validation)."""

    max_new_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    do_sample: bool = False
    top_n_tokens: int | None = None
    grammar: Any = None

    @property
    def samples(self) -> bool:
        """validation.rs's "sampling": needed for best_of, and for a seed to be reported."""
        return self.do_sample or any(
            value is not None for value in (self.temperature, self.top_p, self.top_k)
        )

    def validate(self) -> None:
        """``Validation::validate``'s parameter checks, in its order (the length checks come later)."""
        if self.temperature is not None and self.temperature <= 0:
            raise invalid("`temperature` must be strictly positive")
        if self.repetition_penalty is not None and self.repetition_penalty <= 0:
            raise invalid("`repetition_penalty` must be strictly positive")
        if self.frequency_penalty is not None and not -2 <= self.frequency_penalty <= 2:
            raise invalid("`frequency_penalty` must be >= -2.0 and <= 2.0")
        if self.top_p is not None and not 0 < self.top_p < 1:
            raise invalid("`top_p` must be > 0.0 and < 1.0")
        if self.top_k is not None and self.top_k <= 0:
            raise invalid("`top_k` must be strictly positive")
        if self.max_new_tokens == 0:
            raise invalid("`max_new_tokens` must be strictly positive")
        if len(self.stop) > MAX_STOP_SEQUENCES:
            raise invalid(
                f"`stop` supports up to {MAX_STOP_SEQUENCES} stop sequences. Given: {len(self.stop)}"
            )
        if self.top_n_tokens is not None and self.top_n_tokens > MAX_TOP_N_TOKENS:
            raise invalid(
                f"`top_n_tokens` must be >= 0 and <= {MAX_TOP_N_TOKENS}. Given: {self.top_n_tokens}"
            )

    def to_params(self, input_length: int) -> GenerationParams:
        """The engine's parameters. Without a limit a generation may fill the context (``max_total_tokens``
        less the input). A request without a seed gets a random one, which a sampled answer reports."""
        seed = self.seed if self.seed is not None else random.randint(1, 2**63 - 1)
        return GenerationParams(
            max_new_tokens=self.max_new_tokens or max(MAX_TOTAL_TOKENS - input_length, 1),
            # The Python server treats temperature 1.0 as no warper at all.
            temperature=None if self.temperature == 1 else self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            repetition_penalty=self.repetition_penalty,
            seed=seed,
            stop=self.stop,
            do_sample=self.do_sample,
            top_n_tokens=self.top_n_tokens or 0,
        )


def check_length(input_tokens: int, max_new_tokens: int | None) -> None:
    """``validate_input``: the total first, then the input (a request schedules at most 1024 new tokens at a
    time, so a larger limit is checked as 1024)."""
    if max_new_tokens is None:
        new_tokens = min(max(MAX_TOTAL_TOKENS - input_tokens, 0), DEFAULT_GENERATION_LENGTH)
    else:
        new_tokens = min(max_new_tokens, DEFAULT_GENERATION_LENGTH)
    if input_tokens + new_tokens > MAX_TOTAL_TOKENS:
        raise invalid(
            f"`inputs` tokens + `max_new_tokens` must be <= {MAX_TOTAL_TOKENS}."
            f" Given: {input_tokens} `inputs` tokens and {new_tokens} `max_new_tokens`"
        )
    if input_tokens > MAX_INPUT_TOKENS:
        raise invalid(f"`inputs` must have less than {MAX_INPUT_TOKENS} tokens. Given: {input_tokens}")


def check_grammar(grammar: Any) -> None:
    """hubsim's TGI runs as ``--disable-grammar-support`` would: a grammar is refused, never ignored."""
    if grammar is not None:
        raise invalid("grammar is not supported")


def read_generate_parameters(parameters: dict[str, Any]) -> SamplingRequest:
    return SamplingRequest(
        max_new_tokens=unsigned(parameters, "max_new_tokens"),
        temperature=typed_value(parameters, "temperature", (int, float)),
        top_p=typed_value(parameters, "top_p", (int, float)),
        top_k=typed_value(parameters, "top_k", int),
        repetition_penalty=typed_value(parameters, "repetition_penalty", (int, float)),
        frequency_penalty=typed_value(parameters, "frequency_penalty", (int, float)),
        seed=unsigned(parameters, "seed"),
        stop=tuple(string_list(parameters, "stop")),
        do_sample=bool(typed_value(parameters, "do_sample", bool)),
        top_n_tokens=unsigned(parameters, "top_n_tokens"),
        grammar=typed_value(parameters, "grammar", dict),
    )


def unsigned(body: dict[str, Any], key: str) -> int | None:
    """An unsigned integer field: a negative number does not deserialize."""
    value = typed_value(body, key, int)
    if value is not None and value < 0:
        raise unreadable(f"{key}: invalid value: integer `{value}`, expected an unsigned integer")
    return value


@dataclass(frozen=True)
class GenerateRequest:
    """A TGI ``/generate`` request: ``{"inputs", "parameters"}``."""

    inputs: str
    sampling: SamplingRequest
    details: bool
    decoder_input_details: bool
    return_full_text: bool | None
    best_of: int


def read_generate_request(body: Any) -> GenerateRequest:
    body = object_body(body)
    inputs = typed_value(body, "inputs", str)
    if inputs is None:
        raise unreadable("missing field `inputs`")
    has_parameters = "parameters" in body and body["parameters"] is not None
    parameters = typed_value(body, "parameters", dict) or {}
    sampling = read_generate_parameters(parameters)
    if not has_parameters:
        # lib.rs's default_parameters(): a request without "parameters" samples.
        sampling = SamplingRequest(do_sample=True)
    best_of = typed_value(parameters, "best_of", int)
    return GenerateRequest(
        inputs=inputs,
        sampling=sampling,
        details=bool(typed_value(parameters, "details", bool)),
        decoder_input_details=bool(typed_value(parameters, "decoder_input_details", bool)),
        return_full_text=typed_value(parameters, "return_full_text", bool),
        best_of=1 if best_of is None else best_of,
    )


def validate_generate(request: GenerateRequest) -> None:
    """The checks ``Validation::validate`` runs before tokenizing, and best_of's own."""
    sampling = request.sampling
    if request.best_of > 1 and not sampling.samples:
        raise invalid("you must use sampling when `best_of` is > 1")
    sampling.validate()
    if request.best_of > 1 and sampling.seed is not None:
        raise invalid("`seed` must not be set when `best_of` > 1")
    if not request.inputs:
        raise invalid("`inputs` cannot be empty")
    check_grammar(sampling.grammar)
    if not 0 < request.best_of <= MAX_BEST_OF:
        raise invalid(f"`best_of` must be > 0 and <= {MAX_BEST_OF}. Given: {request.best_of}")
