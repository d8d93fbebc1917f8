"""The catalog as ``GET {catalog}/list`` answers it, with huggingface_hub 2.4's query parameters
(``list_inference_catalog``): ``accelerator``, ``engine``, ``license``, ``task``, ``search``, ``limit``.

Only models whose repository hubsim's Hub serves are listed (a catalog never offers what the Hub lacks). A
model is listed when one of its recipes runs on the asked accelerator and engine, with those recipes only
(the CLI's "Only show recipes running on this accelerator"); license and task match exactly, search is a
case-insensitive part of the repository id (assumed).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hubsim.catalog.recipes import CATALOG, CatalogModel, Recipe

RepoLookup = Callable[[str], Any]


@dataclass(frozen=True)
class CatalogFilters:
    accelerator: str | None = None
    engine: str | None = None
    license: str | None = None
    task: str | None = None
    search: str | None = None
    limit: int | None = None

    def recipes_of(self, model: CatalogModel) -> list[Recipe]:
        return [
            recipe
            for recipe in model.recipes
            if self.accelerator in (None, recipe.accelerator) and self.engine in (None, recipe.engine)
        ]

    def keeps(self, model: CatalogModel) -> bool:
        return (
            self.license in (None, model.license)
            and self.task in (None, model.task)
            and (self.search is None or self.search.lower() in model.repo_id.lower())
            and bool(self.recipes_of(model))
        )


def served_models(get_repo: RepoLookup) -> list[CatalogModel]:
    return [model for model in CATALOG if get_repo(model.repo_id) is not None]


def listing(get_repo: RepoLookup, filters: CatalogFilters) -> dict[str, Any]:
    kept = [model for model in served_models(get_repo) if filters.keeps(model)][: filters.limit]
    return {"items": [model_json(model, filters.recipes_of(model)) for model in kept]}


def model_json(model: CatalogModel, recipes: list[Recipe]) -> dict[str, Any]:
    return {
        "repoId": model.repo_id,
        "modelName": model.name,
        "authorName": model.author,
        "license": model.license,
        "task": model.task,
        "createdAt": model.created_at,
        "recipes": [recipe_json(recipe) for recipe in recipes],
    }


def recipe_json(recipe: Recipe) -> dict[str, Any]:
    """A recipe; ``provider`` and ``compute`` (its hardware in the provider list) are hubsim's (assumed)."""
    recipe_fields: dict[str, Any] = {
        "publicId": recipe.public_id,
        "accelerator": recipe.accelerator,
        "engineType": recipe.engine,
        "revision": recipe.revision,
        "provider": {"vendor": recipe.vendor, "region": recipe.region},
        "compute": {
            "id": recipe.compute_id,
            "instanceType": recipe.instance_type,
            "instanceSize": recipe.instance_size,
        },
    }
    if recipe.gguf_file:
        recipe_fields["ggufFile"] = recipe.gguf_file
    return recipe_fields
