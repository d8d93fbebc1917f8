"""Adding text chunks to a PNG without decoding and re-encoding its pixels.

Pillow writes text chunks only while encoding a whole image, which for a 1024x1024 result costs several times
more than everything else in saving it. A PNG chunk is its length, its type, its data and a CRC-32 of type and
data; iTXt chunks (UTF-8 text) may stand anywhere between the header and the final IEND chunk.
"""

import struct
import zlib
from collections.abc import Mapping

SIGNATURE = b"\x89PNG\r\n\x1a\n"
IEND_CHUNK = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def is_png(data: bytes) -> bool:
    return data.startswith(SIGNATURE) and data.endswith(IEND_CHUNK)


def itxt_chunk(keyword: str, text: str) -> bytes:
    """An uncompressed iTXt chunk: keyword, NUL, flag and method 0, empty language and translation, text."""
    data = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    return struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))


def with_text(png: bytes, texts: Mapping[str, str]) -> bytes:
    """`png` with one iTXt chunk per entry of `texts`, inserted before IEND (`png` must pass `is_png`)."""
    chunks = b"".join(itxt_chunk(keyword, text) for keyword, text in texts.items())
    return png[: -len(IEND_CHUNK)] + chunks + IEND_CHUNK
