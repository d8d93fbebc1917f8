"""A tokenizer or a model's context length is read once per repository, however many ask for it at once."""

import threading
import time

import pytest

from playground_app.repository_cache import RepositoryCache


def test_many_requests_at_once_load_the_value_once() -> None:
    loads: list[tuple[str, str]] = []
    ready = threading.Barrier(8)

    def slow_load(repository: str, revision: str, token: str) -> int:
        loads.append((repository, revision))
        time.sleep(0.05)  # a download: the other requests arrive meanwhile
        return 8192

    cache = RepositoryCache(slow_load)
    results: list[int] = []

    def ask() -> None:
        ready.wait()
        results.append(cache.get("google/gemma-1.1-2b-it", "", "hf_token"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == [8192] * 8
    assert loads == [("google/gemma-1.1-2b-it", "")]
    assert cache.get("google/gemma-1.1-2b-it", "v2", "hf_token") == 8192  # another revision: loaded apart
    assert len(loads) == 2


def test_a_value_of_none_is_kept_and_a_failure_is_tried_again() -> None:
    calls = {"none": 0, "fails": 0}

    def load(repository: str, revision: str, token: str) -> int | None:
        calls[repository] += 1
        if repository == "fails" and calls["fails"] == 1:
            raise OSError("the Hub did not answer")
        return None

    cache: RepositoryCache[int | None] = RepositoryCache(load)
    assert cache.get("none", "", "t") is None
    assert cache.get("none", "", "t") is None
    with pytest.raises(OSError):
        cache.get("fails", "", "t")
    assert cache.get("fails", "", "t") is None
    assert calls == {"none": 1, "fails": 2}
