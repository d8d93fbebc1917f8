"""The inference servers behind each endpoint's URL (``/e/<id>``): TGI for text generation and multimodal
chat, a diffusers-style server for text-to-image."""
