"""Embeddings from a TEI endpoint: a few sentences embedded in one `POST /embed` (text-embeddings-inference's
own route, router/src/http/server.rs: `{"inputs": [...]}` answers one vector per input), and their cosine
similarities computed in the console, as a matrix a person can read."""

import json
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import AbstractBaseUser

from endpoints_app.models import Endpoint
from endpoints_app.services.activity import record_activity
from playground_app.capabilities import embeds
from playground_app.database_trips import database_trip
from playground_app.services.access import require_playground
from playground_app.upstream import (
    EndpointNotUsable,
    EndpointTarget,
    UpstreamError,
    post_when_awake,
    require_queryable,
)
from playground_app.usage import record_embeddings

EMBED_ROUTE = "/embed"


@dataclass(frozen=True)
class Similarities:
    """The cosine similarity of each pair of sentences (1: the same direction, 0: unrelated)."""

    sentences: list[str]
    matrix: list[list[float]]
    dimensions: int

    def rows(self) -> list[tuple[int, str, list[tuple[float, int]]]]:
        """Each sentence's number, text and similarities, with a shade from 0 to 10 for each."""
        return [
            (number, sentence, [(value, shade(value)) for value in self.matrix[number - 1]])
            for number, sentence in enumerate(self.sentences, 1)
        ]

    def closest_pair(self) -> tuple[int, int, float]:
        """The two different sentences most alike: their numbers (from 1) and their similarity."""
        count = len(self.sentences)
        first, second = max(
            ((a, b) for a in range(count) for b in range(a + 1, count)),
            key=lambda pair: self.matrix[pair[0]][pair[1]],
        )
        return first + 1, second + 1, self.matrix[first][second]


def shade(similarity: float) -> int:
    """How dark a cell is drawn: tenths of the similarity, 0 for anything at or below 0."""
    return min(10, max(0, round(similarity * 10)))


def cosine_matrix(vectors: list[list[float]]) -> list[list[float]]:
    """Each pair's cosine: the vectors scaled to length 1, then their dot products."""
    stacked = np.asarray(vectors, dtype=np.float64)
    unit = stacked / np.linalg.norm(stacked, axis=1, keepdims=True)
    return (unit @ unit.T).tolist()


@database_trip
def _target(user: AbstractBaseUser, endpoint: Endpoint) -> EndpointTarget:
    require_playground(user)
    if not embeds(endpoint):
        raise EndpointNotUsable(
            f"{endpoint.full_name} does not serve embeddings: choose a Text Embeddings Inference endpoint."
        )
    require_queryable(endpoint)
    target = EndpointTarget.of(endpoint)
    record_activity(endpoint)
    return target


async def similarities(user: AbstractBaseUser, endpoint: Endpoint, sentences: list[str]) -> Similarities:
    """Embeds the sentences (waking a scaled-to-zero endpoint) and compares them. Raises UpstreamError,
    EndpointNotUsable or NotPermitted."""
    target = await _target(user, endpoint)
    vectors = await _embed(target, sentences)
    await database_trip(record_embeddings)(user, endpoint)
    if len(vectors) != len(sentences):
        raise UpstreamError(f"{target.label} did not answer one embedding per sentence.")
    return Similarities(sentences, cosine_matrix(vectors), len(vectors[0]))


async def _embed(target: EndpointTarget, sentences: list[str]) -> list[list[float]]:
    content = await post_when_awake(target, EMBED_ROUTE, {"inputs": sentences})
    try:
        vectors = json.loads(content)
    except ValueError:
        vectors = None
    if not isinstance(vectors, list) or not all(isinstance(vector, list) and vector for vector in vectors):
        raise UpstreamError(f"{target.label} did not answer embeddings.")
    return vectors
