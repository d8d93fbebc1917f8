"""The Inference Catalog kept in the database: refreshed from the API by a beat task and on request, searched
and priced for the catalog page (which never calls the API). Deploying a recipe is an operation like a create
(operations.deploy_from_catalog)."""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from endpoints_app.hf import HfGateway
from endpoints_app.models import CatalogModel, CatalogRecipe, Credential, HardwareOption, Namespace

logger = logging.getLogger(__name__)


def refresh_catalog() -> int:
    """Replaces the stored catalog with the API's (one call, with any of the team's tokens). Returns the
    number of models; 0 without a token (nothing could be deployed anyway)."""
    credential = Credential.objects.first()
    if credential is None:
        logger.info("No Hugging Face token yet: the Inference Catalog is not fetched.")
        return 0
    remotes = HfGateway(credential.reveal_token()).list_catalog()
    now = timezone.now()
    with transaction.atomic():
        CatalogModel.objects.all().delete()
        for remote in remotes:
            model = CatalogModel.objects.create(
                repo_id=remote.repo_id,
                name=remote.name,
                author=remote.author,
                license=remote.license,
                task=remote.task,
                added_at=remote.created_at,
                refreshed_at=now,
            )
            CatalogRecipe.objects.bulk_create(
                CatalogRecipe(model=model, **asdict(recipe)) for recipe in remote.recipes
            )
    return len(remotes)


@dataclass(frozen=True)
class CatalogFilters:
    search: str = ""
    task: str = ""
    engine: str = ""
    accelerator: str = ""
    license: str = ""


def search(filters: CatalogFilters) -> QuerySet[CatalogModel]:
    """The models that match, each with its recipes of the asked engine and accelerator only."""
    recipes = CatalogRecipe.objects.all()
    if filters.engine:
        recipes = recipes.filter(engine=filters.engine)
    if filters.accelerator:
        recipes = recipes.filter(accelerator=filters.accelerator)
    models = CatalogModel.objects.filter(pk__in=recipes.values("model_id"))
    if filters.search:
        models = models.filter(Q(repo_id__icontains=filters.search) | Q(name__icontains=filters.search))
    if filters.task:
        models = models.filter(task=filters.task)
    if filters.license:
        models = models.filter(license=filters.license)
    return models.prefetch_related(Prefetch("recipes", queryset=recipes))


def choices() -> dict[str, list[str]]:
    """The values each filter can take, from the stored catalog."""
    recipes = CatalogRecipe.objects.order_by()
    models = CatalogModel.objects.order_by()
    return {
        "task": sorted(set(models.values_list("task", flat=True))),
        "engine": sorted(set(recipes.values_list("engine", flat=True))),
        "accelerator": sorted(set(recipes.values_list("accelerator", flat=True))),
        "license": sorted(set(models.values_list("license", flat=True)) - {""}),
    }


@dataclass(frozen=True)
class PricedRecipe:
    recipe: CatalogRecipe
    hardware: HardwareOption | None  # the recipe's instance in the namespace's provider list

    @property
    def price_per_hour(self) -> Decimal | None:
        return self.hardware.price_per_hour if self.hardware else None


class PriceList:
    """A namespace's provider list by instance (one query), to give catalog recipes their hardware."""

    def __init__(self, namespace: Namespace | None) -> None:
        options = HardwareOption.objects.filter(namespace=namespace) if namespace else []
        self.options = {(o.vendor, o.region, o.instance_type, o.instance_size): o for o in options}

    def priced(self, recipe: CatalogRecipe) -> PricedRecipe:
        return PricedRecipe(recipe, self.options.get(recipe.hardware_key))


def last_refreshed() -> datetime | None:
    return CatalogModel.objects.aggregate(last=Max("refreshed_at"))["last"]
