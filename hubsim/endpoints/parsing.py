"""Reading a request body into the API's types, with the error the service gives for what it cannot read.

The service answers such a body with 400 ``Failed to parse the request body as JSON: <path>: <reason>``
(recorded in huggingface_hub's commit a3d9d8a, "Omit `model.task` instead of sending null": a null task gets
``Failed to parse the request body as JSON: model.task: expected value``). The other reasons follow serde's
wording (``missing field `x```, ``unknown variant `x`, expected one of ...``, ``invalid type: ...``):
assumed, as is the root path written as nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hubsim.errors import ApiError

PREFIX = "Failed to parse the request body as JSON"


@dataclass(frozen=True)
class Kind:
    """A JSON type the API expects, named as serde names it in its errors, with its JSON schema."""

    expected: str
    accepts: Callable[[Any], bool]
    schema: dict[str, Any]


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


STRING = Kind("a string", lambda value: isinstance(value, str), {"type": "string"})
INTEGER = Kind("an integer", _is_integer, {"type": "integer"})
NUMBER = Kind("a number", lambda value: _is_integer(value) or isinstance(value, float), {"type": "number"})
BOOLEAN = Kind("a boolean", lambda value: isinstance(value, bool), {"type": "boolean"})
OBJECT = Kind("a map", lambda value: isinstance(value, dict), {"type": "object"})
STRINGS = Kind(
    "a sequence of strings",
    lambda value: isinstance(value, list) and all(isinstance(item, str) for item in value),
    {"type": "array", "items": {"type": "string"}},
)
STRING_MAP = Kind(
    "a map of strings",
    lambda value: isinstance(value, dict) and all(isinstance(item, str) for item in value.values()),
    {"type": "object", "additionalProperties": {"type": "string"}},
)


def unreadable(path: str, reason: str) -> ApiError:
    return ApiError(400, f"{PREFIX}: {path}: {reason}" if path else f"{PREFIX}: {reason}")


def joined(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def read(
    container: dict, key: str, kind: Kind, path: str, *, required: bool = False, nullable: bool = True
) -> Any:
    """The value of ``key`` in the object at ``path``: None when absent (or null, where null is allowed)."""
    if key not in container:
        if required:
            raise unreadable(path, f"missing field `{key}`")
        return None
    value = container[key]
    if value is None:
        if nullable and not required:
            return None
        raise unreadable(joined(path, key), "expected value")
    return checked(value, kind, joined(path, key))


def checked(value: Any, kind: Kind, path: str) -> Any:
    """``value`` if it is of ``kind``."""
    if not kind.accepts(value):
        raise unreadable(path, f"invalid type: {_unexpected(value)}, expected {kind.expected}")
    return value


def read_variant(container: dict, key: str, variants: tuple[str, ...], path: str) -> str:
    """An enum given as a string: one of ``variants``."""
    value = read(container, key, STRING, path, required=True)
    if value not in variants:
        raise unreadable(joined(path, key), unknown_variant(value, variants))
    return value


def unknown_variant(value: str, variants: tuple[str, ...]) -> str:
    expected = ", ".join(f"`{variant}`" for variant in variants)
    return f"unknown variant `{value}`, expected one of {expected}"


def require_object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise unreadable(path, f"invalid type: {_unexpected(value)}, expected a map")
    return value


def _unexpected(value: Any) -> str:
    """serde's ``Unexpected`` for a JSON value."""
    if isinstance(value, bool):
        return f"boolean `{str(value).lower()}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        return f'string "{value}"'
    if isinstance(value, list):
        return "sequence"
    if value is None:
        return "null"
    return "map"
