"""GET forms that filter and sort the endpoint list and the audit log (invalid values are ignored)."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet, Value

from endpoints_app.models import AuditEntry, Endpoint, EndpointStatus, Namespace, Tag

GONE = "gone"


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    fields: tuple[str, ...]
    numeric: bool = False


ENDPOINT_COLUMNS = (
    SortColumn("name", "Name", ("namespace__name", "name")),
    SortColumn("status", "Status", ("status", "namespace__name", "name")),
    SortColumn("repository", "Model", ("repository", "namespace__name", "name")),
    SortColumn("hardware", "Hardware", ("vendor", "region", "instance_type", "instance_size")),
    SortColumn("price", "$/hour", ("price_per_hour", "namespace__name", "name"), numeric=True),
    SortColumn("updated", "Updated", ("remote_updated_at", "namespace__name", "name")),
)
COLUMNS_BY_KEY = {column.key: column for column in ENDPOINT_COLUMNS}


def _choices(values: Any, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((value, value) for value in values)]


def _filter_values() -> dict[str, list[str]]:
    """Every namespace, task, vendor and tag there is to filter by, in one query (a UNION)."""
    mirrored = Endpoint.objects.order_by()

    def labelled(queryset: QuerySet, kind: str, field: str) -> QuerySet:
        return queryset.annotate(kind=Value(kind)).values_list("kind", field).distinct()

    union = labelled(Namespace.objects.order_by(), "namespace", "name").union(
        labelled(mirrored.exclude(task=""), "task", "task"),
        labelled(mirrored, "vendor", "vendor"),
        labelled(Tag.objects.order_by(), "tag", "name"),
    )
    values: dict[str, list[str]] = {"namespace": [], "task": [], "vendor": [], "tag": []}
    for kind, value in union:
        values[kind].append(value)
    return {kind: sorted(found) for kind, found in values.items()}


class EndpointFilterForm(forms.Form):
    q = forms.CharField(
        label="Search", required=False, widget=forms.TextInput(attrs={"placeholder": "Name or repository"})
    )
    namespace = forms.ChoiceField(label="Namespace", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    task = forms.ChoiceField(label="Task", required=False)
    vendor = forms.ChoiceField(label="Vendor", required=False)
    tag = forms.ChoiceField(label="Tag", required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = _filter_values()
        self.fields["namespace"].choices = _choices(values["namespace"], "All namespaces")
        self.fields["status"].choices = [
            ("", "Any status"),
            *EndpointStatus.choices,
            (GONE, "Deleted"),
        ]
        self.fields["task"].choices = _choices(values["task"], "Any task")
        self.fields["vendor"].choices = _choices(values["vendor"], "Any vendor")
        self.fields["tag"].choices = _choices(values["tag"], "Any tag")

    def value_of(self, field: str) -> str:
        """The cleaned value, or "" for a value that was not valid (it is ignored, not an error page)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(field) or ""

    @property
    def sort_key(self) -> str:
        """The sort as asked ('price', '-price'), or 'name' when unknown."""
        sort = self.value_of("sort")
        return sort if sort.lstrip("-") in COLUMNS_BY_KEY else "name"

    def filter(self, endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
        status = self.value_of("status")
        endpoints = endpoints.filter(is_gone=True) if status == GONE else endpoints.filter(is_gone=False)
        if status and status != GONE:
            endpoints = endpoints.filter(status=status)
        for field, lookup in (
            ("namespace", "namespace__name"),
            ("task", "task"),
            ("vendor", "vendor"),
            ("tag", "tags__name"),
        ):
            if value := self.value_of(field):
                endpoints = endpoints.filter(**{lookup: value})
        if query := self.value_of("q").strip():
            endpoints = endpoints.filter(Q(name__icontains=query) | Q(repository__icontains=query))
        return endpoints

    def order(self, endpoints: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
        sort = self.sort_key
        fields = COLUMNS_BY_KEY[sort.lstrip("-")].fields
        descending = sort.startswith("-")
        return endpoints.order_by(*(f"-{field}" if descending else field for field in fields), "pk")

    @property
    def is_filtered(self) -> bool:
        return any(self.value_of(field) for field in ("q", "namespace", "status", "task", "vendor", "tag"))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label="Actor", required=False)
    action = forms.ChoiceField(label="Action", required=False)
    target = forms.CharField(
        label="Target",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "namespace/name, or a part"}),
    )
    result = forms.ChoiceField(
        label="Result", required=False, choices=[("", "Any result"), *AuditEntry.Result.choices]
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        self.fields["action"].choices = _choices(actions, "Any action")

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        self.is_valid()
        data = self.cleaned_data
        if data.get("actor"):
            entries = entries.filter(actor_label__icontains=data["actor"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("target"):
            entries = entries.filter(target__icontains=data["target"])
        if data.get("result"):
            entries = entries.filter(result=data["result"])
        if data.get("since"):
            entries = entries.filter(at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(at__date__lte=data["until"])
        return entries
