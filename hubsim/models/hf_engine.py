"""A local model directory run through transformers and torch, behind the default engine's protocol."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .generation_loop import TokenVocabulary, check_params, generated_tokens
from .generation_types import (
    EngineUnavailableError,
    GeneratedToken,
    GenerationParameterError,
    GenerationParams,
)


class TransformersEngine:
    """Serves one model whatever repository an endpoint names: the model in `model_dir` answers for all."""

    def __init__(self, model_dir: Path) -> None:
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as error:
            raise EngineUnavailableError(
                f"the transformers engine needs torch, which is not installed here ({error})"
            ) from None
        if not (model_dir / "config.json").is_file():
            raise EngineUnavailableError(f"{model_dir} is not a model directory (it has no config.json)")
        self._torch = torch
        self._tokenizer = AutoTokenizer.from_pretrained(model_dir)
        self._model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
        self._vocabulary = TokenVocabulary(
            size=self._model.config.vocab_size,
            decode=lambda ids: self._tokenizer.decode(ids, skip_special_tokens=False),
            special_ids=frozenset(self._tokenizer.all_special_ids),
            stop_ids=frozenset(self._stop_ids()),
        )

    def tokenize(
        self, repo_id: str, text: str, add_special_tokens: bool = True
    ) -> list[tuple[int, str, int, int]]:
        encoding = self._tokenizer(text, return_offsets_mapping=True, add_special_tokens=add_special_tokens)
        return [
            (token_id, text[start:stop], start, stop)
            for token_id, (start, stop) in zip(encoding["input_ids"], encoding["offset_mapping"], strict=True)
        ]

    def generate(self, repo_id: str, prompt: str, params: GenerationParams) -> Iterator[GeneratedToken]:
        check_params(params)
        prompt_ids = self._tokenizer(prompt)["input_ids"]
        if not prompt_ids:
            raise GenerationParameterError("the prompt must not be empty")
        return generated_tokens(
            _TorchScorer(self._torch, self._model, prompt_ids), prompt_ids, params, self._vocabulary
        )

    def _stop_ids(self) -> list[int]:
        configured = self._model.generation_config.eos_token_id
        if configured is None:
            configured = self._tokenizer.eos_token_id
        if configured is None:
            return []
        return [configured] if isinstance(configured, int) else list(configured)


class _TorchScorer:
    """The model's next-token logits, reusing its key/value cache so each step feeds only the new token."""

    def __init__(self, torch: Any, model: Any, prompt_ids: list[int]) -> None:
        self._torch = torch
        self._model = model
        self._pending = torch.tensor([prompt_ids])
        self._cache = None

    def next_scores(self) -> np.ndarray:
        with self._torch.no_grad():
            output = self._model(input_ids=self._pending, cache=self._cache, use_cache=True)
        self._cache = output.cache
        return output.logits[0, -1].float().numpy().astype(np.float64)

    def advance(self, token_id: int) -> None:
        self._pending = self._torch.tensor([[token_id]])
