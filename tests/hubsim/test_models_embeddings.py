"""hubsim's embedding model and the repositories the engines need: BAAI/bge-small-en-v1.5's
sentence-transformers files, and GGUF files whose header a GGUF reader accepts."""

import json
import struct

import numpy as np
import pytest

from hubsim.models import EMBEDDING_DIMENSIONS, embedding_model, normalized, repo_files

PAIRS = [
    ("How do I bake bread at home?", "Kneading the dough and letting it rise", "The planets orbit the sun"),
    (
        "Training a neural network needs data",
        "Machine learning models learn from examples",
        "Simmer the soup",
    ),
    (
        "Jupiter is the largest planet",
        "Saturn's rings are made of ice and rock",
        "Salt makes food taste better",
    ),
]


@pytest.mark.parametrize(("anchor", "related", "unrelated"), PAIRS)
def test_a_related_sentence_is_closer_than_an_unrelated_one(
    anchor: str, related: str, unrelated: str
) -> None:
    model = embedding_model()
    vectors = [normalized(model.embed(text)) for text in (anchor, related, unrelated)]
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_the_same_text_always_gives_the_same_vector() -> None:
    assert np.array_equal(
        embedding_model().embed("Bake the bread"), embedding_model().embed("Bake the bread")
    )


def test_vectors_have_the_size_of_bge_small() -> None:
    vector = embedding_model().embed("A word the corpus never saw: zyxwv")
    assert (vector.shape, vector.dtype) == ((EMBEDDING_DIMENSIONS,), np.float32) and np.linalg.norm(
        vector
    ) > 0


def test_the_embedding_repository_pools_the_cls_token_as_bge_does() -> None:
    files = repo_files("BAAI/bge-small-en-v1.5")
    pooling = json.loads(files["1_Pooling/config.json"])
    assert (pooling["word_embedding_dimension"], pooling["pooling_mode_cls_token"]) == (384, True)
    assert json.loads(files["config.json"])["hidden_size"] == 384


def test_gguf_files_carry_their_quantization_in_a_readable_header() -> None:
    header = repo_files("Qwen/Qwen2.5-0.5B-Instruct-GGUF")["qwen2.5-0.5b-instruct-q8_0.gguf"]
    magic, version, tensors, entries = struct.unpack_from("<4sIQQ", header)
    assert (magic, version, tensors, len(header) % 32) == (b"GGUF", 3, 0, 0)
    offset, metadata = 24, {}
    for _ in range(entries):
        (length,) = struct.unpack_from("<Q", header, offset)
        key = header[offset + 8 : offset + 8 + length].decode()
        offset += 8 + length
        (kind,) = struct.unpack_from("<I", header, offset)
        offset += 4
        if kind == 8:  # string
            (length,) = struct.unpack_from("<Q", header, offset)
            metadata[key] = header[offset + 8 : offset + 8 + length].decode()
            offset += 8 + length
        else:  # uint32
            metadata[key] = struct.unpack_from("<I", header, offset)[0]
            offset += 4
    assert (metadata["general.architecture"], metadata["general.file_type"]) == ("qwen2", 7)
    assert metadata["tokenizer.chat_template"].startswith("{%")
