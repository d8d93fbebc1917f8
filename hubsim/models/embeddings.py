"""A small sentence-embedding model built at start-up from hubsim's corpus, deterministic and weightless.

A sentence's vector sums, for each content word (weighted by its rarity in the corpus):
- the word's topic vector: latent semantic analysis of the corpus paragraphs (a truncated SVD of their TF-IDF
  matrix), so that words used in the same paragraphs point the same way ("bread" near "flour" and "oven");
- a pseudo-random vector drawn from the word itself, so that sentences sharing words are close even when the
  corpus never uses those words; pairs of adjacent words add their own, for word order.
Everything is projected into DIMENSIONS, the size of BAAI/bge-small-en-v1.5's vectors. The sum is the pooled
output; normalising it (as TEI does by default) gives unit vectors whose cosine similarity ranks related
sentences above unrelated ones.
"""

import hashlib
from functools import cache
from itertools import pairwise

import numpy as np

from .paragraphs import load_paragraphs
from .topics import content_words
from .words import words_in

DIMENSIONS = 384
_TOPICS = 16  # latent dimensions kept from the SVD: about one per corpus subject
_TOPIC_WEIGHT = 1.0
_WORD_WEIGHT = 0.6
_PAIR_WEIGHT = 0.3


class EmbeddingModel:
    def __init__(self) -> None:
        documents = [content_words(paragraph.text) for paragraph in load_paragraphs()]
        vocabulary = sorted({word for document in documents for word in document})
        index = {word: position for position, word in enumerate(vocabulary)}
        counts = np.zeros((len(documents), len(vocabulary)))
        for row, document in enumerate(documents):
            for word in document:
                counts[row, index[word]] += 1
        document_frequency = (counts > 0).sum(axis=0)
        idf = np.log((1 + len(documents)) / (1 + document_frequency)) + 1
        tfidf = np.log1p(counts) * idf
        tfidf /= np.linalg.norm(tfidf, axis=1, keepdims=True) + 1e-12
        _, singular, right = np.linalg.svd(tfidf, full_matrices=False)
        topics = min(_TOPICS, len(singular))
        word_topics = right[:topics].T * singular[:topics]
        word_topics /= np.linalg.norm(word_topics, axis=1, keepdims=True) + 1e-12
        projection = np.random.default_rng(0).standard_normal((topics, DIMENSIONS)) / np.sqrt(topics)
        self._topic_vectors = dict(zip(vocabulary, word_topics @ projection, strict=True))
        self._idf = dict(zip(vocabulary, idf, strict=True))
        self._unseen_idf = float(idf.max())

    def embed(self, text: str) -> np.ndarray:
        """The pooled (not normalised) vector of a text, float32."""
        words = content_words(text) or words_in(text) or [text.strip().lower()]
        vector = np.zeros(DIMENSIONS)
        for word in words:
            weight = self._idf.get(word, self._unseen_idf)
            topic = self._topic_vectors.get(word)
            if topic is not None:
                vector += weight * _TOPIC_WEIGHT * topic
            vector += weight * _WORD_WEIGHT * _hashed_vector(word)
        for first, second in pairwise(words):
            vector += _PAIR_WEIGHT * _hashed_vector(f"{first} {second}")
        return vector.astype(np.float32)


def _hashed_vector(key: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")
    return np.random.default_rng(seed).standard_normal(DIMENSIONS) / np.sqrt(DIMENSIONS)


@cache
def embedding_model() -> EmbeddingModel:
    # Immutable once built, so every caller can share one.
    return EmbeddingModel()


def normalized(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)
