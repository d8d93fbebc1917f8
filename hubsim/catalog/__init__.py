"""The Inference Catalog as huggingface_hub 2.4 calls it (``constants.INFERENCE_CATALOG_ENDPOINT``):
models with tested recipes (hardware and engine), listed at ``/list`` and deployed at
``/model/{repo_id}/deploy`` or ``/recipe/{recipe_id}/deploy``; hubsim serves it under ``/api/catalog``."""
