"""The catalog page's search and filters, and the form that deploys a recipe."""

from typing import Any

from django import forms

from endpoints_app.engines import Engine
from endpoints_app.forms.fields import EndpointNameField, namespace_from
from endpoints_app.models import CatalogRecipe, Namespace
from endpoints_app.naming import suggest_name_in
from endpoints_app.services.catalog import CatalogFilters


def _labelled(values: list[str], label: Any = str) -> list[tuple[str, str]]:
    return [("", "Any"), *((value, label(value)) for value in values)]


def engine_label(value: str) -> str:
    try:
        return Engine(value).label
    except ValueError:
        return value


class CatalogFilterForm(forms.Form):
    """What the catalog page shows: a search, the filters (their values from the stored catalog) and the
    namespace whose provider list prices the recipes."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    task = forms.ChoiceField(label="Task", required=False)
    engine = forms.ChoiceField(label="Engine", required=False)
    accelerator = forms.ChoiceField(label="Accelerator", required=False)
    license = forms.ChoiceField(label="License", required=False)
    namespace = forms.ModelChoiceField(
        label="Prices in",
        queryset=Namespace.objects.filter(credential__isnull=False),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, choices: dict[str, list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = _labelled(choices["task"])
        self.fields["engine"].choices = _labelled(choices["engine"], engine_label)
        self.fields["accelerator"].choices = _labelled(choices["accelerator"], str.upper)
        self.fields["license"].choices = _labelled(choices["license"])

    def filters(self) -> CatalogFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return CatalogFilters(
            search=data.get("q", ""),
            task=data.get("task", ""),
            engine=data.get("engine", ""),
            accelerator=data.get("accelerator", ""),
            license=data.get("license", ""),
        )

    def chosen_namespace(self) -> Namespace | None:
        namespace = self.cleaned_data.get("namespace") if self.is_valid() else None
        return namespace or self.fields["namespace"].queryset.first()


class CatalogDeployForm(forms.Form):
    namespace = forms.ModelChoiceField(
        label="Namespace", queryset=Namespace.objects.filter(credential__isnull=False), empty_label=None
    )
    name = EndpointNameField()

    def __init__(self, *args: Any, recipe: CatalogRecipe, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipe = recipe
        given = self.data.get("namespace") if self.is_bound else self.initial.get("namespace")
        namespace = namespace_from(given, self.fields["namespace"].queryset)
        self.fields["name"].widget.attrs["placeholder"] = suggest_name_in(namespace, recipe.model.repo_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("name") and cleaned.get("namespace"):
            cleaned["name"] = suggest_name_in(cleaned["namespace"], self.recipe.model.repo_id)
        return cleaned
