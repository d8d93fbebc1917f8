"""The sentence-transformers files of an embedding repository: which modules run, how tokens are pooled, and
the sequence length. TEI and the Inference Toolkit read the pooling from 1_Pooling/config.json."""

import json

from .embeddings import DIMENSIONS
from .families import TextFamily

# bge models pool the [CLS] token (BAAI/bge-small-en-v1.5's 1_Pooling/config.json).
POOLING_MODES = {
    "pooling_mode_cls_token": True,
    "pooling_mode_mean_tokens": False,
    "pooling_mode_max_tokens": False,
    "pooling_mode_mean_sqrt_len_tokens": False,
    "pooling_mode_weightedmean_tokens": False,
    "pooling_mode_lasttoken": False,
    "include_prompt": True,
}


def sentence_transformers_files(family: TextFamily) -> dict[str, str]:
    documents = {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": family.context_length, "do_lower_case": True},
        "config_sentence_transformers.json": {"prompts": {}, "default_prompt_name": None},
        "1_Pooling/config.json": {"word_embedding_dimension": DIMENSIONS, **POOLING_MODES},
    }
    return {path: json.dumps(document, indent=2) + "\n" for path, document in documents.items()}
