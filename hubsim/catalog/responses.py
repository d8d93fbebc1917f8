"""HTTP of the catalog: the listing (no token needed, assumed) and the two deploy routes (a write token of
the namespace named in the body, like a create). A deploy answers ``{"endpoint": ENDPOINT}`` (what
``create_inference_endpoint_from_catalog`` reads; a recorded answer in huggingface_hub's tests)."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from hubsim.catalog.deploy import chosen_recipe, default_name, endpoint_payload
from hubsim.catalog.listing import CatalogFilters, listing, served_models
from hubsim.catalog.recipes import CatalogModel, Recipe
from hubsim.endpoints.access import authorize
from hubsim.endpoints.parsing import OBJECT, STRING, read, require_object
from hubsim.endpoints.render import render_endpoint
from hubsim.errors import ApiError
from hubsim.request_context import identity_of, json_body, sim_of


async def list_catalog(request: Request) -> JSONResponse:
    params = request.query_params
    limit = params.get("limit")
    if limit is not None and (not limit.isdigit() or int(limit) < 1):
        raise ApiError(400, f"Invalid limit '{limit}': expected a whole number of 1 or more")
    filters = CatalogFilters(
        accelerator=params.get("accelerator"),
        engine=params.get("engine"),
        license=params.get("license"),
        task=params.get("task"),
        search=params.get("search"),
        limit=int(limit) if limit else None,
    )
    return JSONResponse(listing(sim_of(request).backend.get_repo, filters))


async def deploy_model(request: Request) -> JSONResponse:
    body = require_object(await json_body(request), "")
    repo_id = request.path_params["repo_id"]
    model = next((m for m in served_models(sim_of(request).backend.get_repo) if m.repo_id == repo_id), None)
    if model is None:
        raise ApiError(404, f"Model '{repo_id}' is not in the catalog")
    recipe = chosen_recipe(model, read(body, "accelerator", STRING, ""), read(body, "ggufFile", STRING, ""))
    return await _deploy(request, body, model, recipe)


async def deploy_recipe(request: Request) -> JSONResponse:
    body = require_object(await json_body(request), "")
    recipe_id = request.path_params["recipe_id"]
    for model in served_models(sim_of(request).backend.get_repo):
        for recipe in model.recipes:
            if recipe.public_id == recipe_id:
                return await _deploy(request, body, model, recipe)
    raise ApiError(404, f"Recipe '{recipe_id}' is not in the catalog")


async def _deploy(request: Request, body: dict, model: CatalogModel, recipe: Recipe) -> JSONResponse:
    sim = sim_of(request)
    namespace = read(body, "namespace", STRING, "", required=True)
    identity = authorize(identity_of(request), namespace, write=True)
    config = read(body, "config", OBJECT, "") or {}
    name = read(config, "name", STRING, "config") or default_name(model)
    record = sim.backend.create(identity, namespace, endpoint_payload(model, recipe, name))
    sim.save()
    return JSONResponse({"endpoint": render_endpoint(record, sim.settings.base_url)})
