"""Routes of the catalog: set ``huggingface_hub.constants.INFERENCE_CATALOG_ENDPOINT`` to
``{hubsim}/api/catalog``."""

from starlette.routing import Route

from hubsim.catalog import responses

BASE = "/api/catalog"

routes = [
    Route(BASE + "/list", responses.list_catalog, methods=["GET"]),
    Route(BASE + "/model/{repo_id:path}/deploy", responses.deploy_model, methods=["POST"]),
    Route(BASE + "/recipe/{recipe_id}/deploy", responses.deploy_recipe, methods=["POST"]),
]
