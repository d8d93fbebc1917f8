"""The decoding loop shared by every engine, driven by a scorer that follows a script."""

import numpy as np
from tokenizers import Tokenizer

from hubsim.models import GenerationParams, repo_files
from hubsim.models.generation_loop import TokenVocabulary, generated_tokens
from hubsim.models.sampling import TokenChooser

TOKENIZER = Tokenizer.from_str(repo_files("gpt2")["tokenizer.json"].decode())


class _ScriptedScorer:
    """Makes the next token of the script the only possible choice."""

    def __init__(self, script: list[int]) -> None:
        self._script = script
        self._position = 0

    def next_scores(self) -> np.ndarray:
        scores = np.full(TOKENIZER.get_vocab_size(), -np.inf)
        scores[self._script[self._position]] = 0.0
        return scores

    def advance(self, token_id: int) -> None:
        self._position += 1


def _vocabulary() -> TokenVocabulary:
    end = TOKENIZER.token_to_id("<|endoftext|>")
    return TokenVocabulary(
        size=TOKENIZER.get_vocab_size(),
        decode=lambda ids: TOKENIZER.decode(ids, skip_special_tokens=False),
        special_ids=frozenset({end}),
        stop_ids=frozenset({end}),
    )


def test_a_character_split_across_tokens_appears_once_complete() -> None:
    script = TOKENIZER.encode("café au lait").ids
    tokens = generated_tokens(
        _ScriptedScorer(script), [], GenerationParams(max_new_tokens=len(script)), _vocabulary()
    )
    pieces = [token.text for token in tokens]
    assert ("".join(pieces), "\ufffd" in "".join(pieces)) == ("café au lait", False)


def test_a_stop_sequence_spread_over_tokens_is_found() -> None:
    script = TOKENIZER.encode("one two three four five").ids
    params = GenerationParams(max_new_tokens=len(script), stop=("o thr",))
    tokens = list(generated_tokens(_ScriptedScorer(script), [], params, _vocabulary()))
    assert ("".join(token.text for token in tokens), tokens[-1].finish_reason) == (
        "one two three",
        "stop_sequence",
    )


def test_sampling_with_top_k_of_one_always_takes_the_best_token() -> None:
    scores = np.random.default_rng(0).normal(size=50)
    choices = {
        TokenChooser(GenerationParams(do_sample=True, top_k=1, seed=seed), 50, []).choose(scores)[0]
        for seed in range(10)
    }
    assert choices == {int(np.argmax(scores))}


def test_top_p_keeps_only_the_most_likely_tokens() -> None:
    scores = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    chooser = TokenChooser(GenerationParams(do_sample=True, top_p=0.7, seed=1), 4, [])
    assert {chooser.choose(scores)[0] for _ in range(200)} == {0, 1}
