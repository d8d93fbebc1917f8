"""The inference servers behind each endpoint's URL (``/e/<id>``): the engine its container runs (TGI,
vLLM, SGLang, llama.cpp, TEI or the Inference Toolkit) answers, with that engine's routes and shapes."""
