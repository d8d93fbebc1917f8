"""Forms: one per policy kind (common fields plus the kind's own), exclusions, the month of the Costs page."""

import zoneinfo
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from billing.models import Exclusion, Policy, PolicyKind
from billing.models.policies import KIND_FIELDS
from billing.periods import Period, month_of, parse_month
from endpoints_app.models import Endpoint, Namespace, Tag

NOTICE_FIELDS = ("notice_minutes", "keep_running_hours")
COMMON_FIELDS = ("name", "enabled", "namespaces", "tags", "endpoints", *NOTICE_FIELDS)
WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]
SCOPE_HELP = "An endpoint is covered when it matches any choice here; choose nothing to cover every endpoint."


class CommaSeparatedIntegers(forms.CharField):
    """'50, 80, 100' <-> [50, 80, 100] (sorted, without repeats)."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(str(number) for number in value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[int]:
        text = super().to_python(value)
        try:
            numbers = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError(
                "Write whole numbers separated by commas, e.g. 50, 80, 100."
            ) from None
        if any(not 1 <= number <= 1000 for number in numbers):
            raise forms.ValidationError("Each threshold is a percentage between 1 and 1000.")
        return numbers


class DateList(forms.CharField):
    """One date per line (YYYY-MM-DD) <-> ['2030-12-25', ...]."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        dates = set()
        for line in super().to_python(value).split():
            try:
                dates.add(date.fromisoformat(line.strip(",")).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    f"{line!r} is not a date: write YYYY-MM-DD, one per line."
                ) from None
        return sorted(dates)


class PolicyForm(forms.ModelForm):
    """The fields every policy has: name, on/off, scope."""

    kind: str = ""
    summary: str = ""  # what the kind does, shown above its form
    namespaces = forms.ModelMultipleChoiceField(
        Namespace.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, help_text=SCOPE_HELP
    )
    tags = forms.ModelMultipleChoiceField(
        Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    endpoints = forms.ModelMultipleChoiceField(
        Endpoint.objects.filter(is_gone=False).select_related("namespace"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Policy
        fields = COMMON_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.kind = self.kind  # the model's clean() checks the kind's settings
        for name in NOTICE_FIELDS:  # left empty: the model's default (no notice; 2 hours)
            self.fields[name].required = False
        if self.instance.pk is None:  # a new policy starts from the fields' suggestions (e.g. Mon-Fri)
            given = kwargs.get("initial") or {}
            for name, field in self.fields.items():
                if field.initial is not None and name not in given:
                    self.initial[name] = field.initial

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in NOTICE_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = Policy._meta.get_field(name).default
        return data


class IdlePauseForm(PolicyForm):
    kind = PolicyKind.IDLE_PAUSE
    summary = (
        "Pauses a running endpoint nobody used for a while: no playground request and no request counted in "
        "the service's open-metrics, or else in its engine's /metrics. The time counts from its last use, or "
        "from when it last started. An endpoint where neither can be read is skipped unless the box says so."
    )

    class Meta(PolicyForm.Meta):
        fields = (*COMMON_FIELDS, *KIND_FIELDS[PolicyKind.IDLE_PAUSE])
        labels = {
            "idle_minutes": "Minutes without activity",
            "pause_unseen_traffic": "Pause endpoints whose traffic cannot be seen",
        }


class OffHoursForm(PolicyForm):
    kind = PolicyKind.OFF_HOURS
    summary = (
        "Pauses the endpoints at a time on the chosen weekdays and, with a resume time, resumes the ones "
        "it paused at that time. An endpoint someone resumes during the off hours is left running."
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, initial=[0, 1, 2, 3, 4]
    )
    time_zone = forms.ChoiceField(choices=[(name, name) for name in sorted(zoneinfo.available_timezones())])
    skip_dates = DateList(required=False, help_text="Holidays: no pause and no resume on these dates.")

    class Meta(PolicyForm.Meta):
        fields = (*COMMON_FIELDS, *KIND_FIELDS[PolicyKind.OFF_HOURS])
        widgets = {
            "pause_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "resume_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class MaxRuntimeForm(PolicyForm):
    kind = PolicyKind.MAX_RUNTIME
    summary = (
        "Pauses an endpoint that has been billed (initializing or running) for too long without a break."
    )

    class Meta(PolicyForm.Meta):
        fields = (*COMMON_FIELDS, *KIND_FIELDS[PolicyKind.MAX_RUNTIME])
        labels = {"max_runtime_hours": "Hours running in a row"}


class BudgetForm(PolicyForm):
    kind = PolicyKind.BUDGET
    summary = (
        "Alerts once per threshold and month when the spend of the endpoints in scope crosses a share of the "
        "budget; can also pause them at 100% (endpoints marked 'keep running' excepted)."
    )
    alert_thresholds = CommaSeparatedIntegers(
        initial=[50, 80, 100], help_text="Percentages of the budget, e.g. 50, 80, 100."
    )

    class Meta(PolicyForm.Meta):
        fields = (*COMMON_FIELDS, *KIND_FIELDS[PolicyKind.BUDGET])
        labels = {"monthly_budget": "Monthly budget ($)"}


POLICY_FORMS: dict[str, type[PolicyForm]] = {
    form.kind: form for form in (IdlePauseForm, OffHoursForm, MaxRuntimeForm, BudgetForm)
}


class ExclusionForm(forms.ModelForm):
    endpoint = forms.ModelChoiceField(Endpoint.objects.filter(is_gone=False).select_related("namespace"))

    class Meta:
        model = Exclusion
        fields = ("endpoint", "reason", "expires_at")
        labels = {"expires_at": "Keep running until"}
        widgets = {
            "expires_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_at"].initial = timezone.localtime() + timedelta(days=1)

    def clean_expires_at(self) -> datetime:
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError("Choose a moment in the future.")
        return expires_at


class MonthForm(forms.Form):
    month = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self) -> Period | None:
        text = self.cleaned_data["month"]
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def period(self, now: datetime) -> Period:
        """The chosen month, or the current one when none (or a wrong one) is given."""
        chosen = self.cleaned_data.get("month") if self.is_valid() else None
        return chosen or month_of(now)
