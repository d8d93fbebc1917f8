"""GGUF files that hold a model's metadata and no tensors: the names and headers of a GGUF repository's files,
for an endpoint that picks one, without any weights.

The layout is GGUF version 3 (the ggml project's docs/gguf.md): magic, version, tensor count, metadata count,
then each metadata key and typed value, padded to the default 32-byte alignment."""

import struct

from .chat_templates import template_source
from .families import text_family

_MAGIC = b"GGUF"
_VERSION = 3
_ALIGNMENT = 32
_UINT32, _STRING = 4, 8
# general.file_type of each quantization (llama.h's llama_ftype).
QUANTIZATIONS = {"fp16": 1, "q8_0": 7, "q4_k_m": 15}


def gguf_file_name(base_repo_id: str, quantization: str) -> str:
    """The file name the official GGUF repositories use: "qwen2.5-0.5b-instruct-q4_k_m.gguf"."""
    return f"{base_repo_id.split('/')[-1].lower()}-{quantization}.gguf"


def gguf_files(base_repo_id: str) -> dict[str, bytes]:
    return {
        gguf_file_name(base_repo_id, quantization): _header(base_repo_id, file_type)
        for quantization, file_type in QUANTIZATIONS.items()
    }


def _header(base_repo_id: str, file_type: int) -> bytes:
    family = text_family(base_repo_id)
    metadata: list[tuple[str, int, object]] = [
        ("general.architecture", _STRING, family.model_type),
        ("general.name", _STRING, base_repo_id.split("/")[-1]),
        ("general.file_type", _UINT32, file_type),
        ("general.quantization_version", _UINT32, 2),
        ("general.description", _STRING, "Metadata only: hubsim serves this file without any tensors."),
    ]
    template = template_source(family)
    if template is not None:
        metadata.append(("tokenizer.chat_template", _STRING, template))
    body = bytearray(_MAGIC + struct.pack("<IQQ", _VERSION, 0, len(metadata)))
    for key, value_type, value in metadata:
        body += _string(key) + struct.pack("<I", value_type)
        body += _string(value) if value_type == _STRING else struct.pack("<I", value)
    body += b"\0" * (-len(body) % _ALIGNMENT)
    return bytes(body)


def _string(value: object) -> bytes:
    encoded = str(value).encode()
    return struct.pack("<Q", len(encoded)) + encoded
