"""GET forms of the endpoint page's Analytics and Logs tabs."""

from django import forms
from django.core.validators import RegexValidator

from endpoints_app.services.analytics import DEFAULT_WINDOW, WINDOWS, Window

# The least severe level shown; all levels are asked for by asking for none.
LEVELS = [("", "All levels"), ("warn", "Warnings and errors"), ("error", "Errors only")]
# Replica names ("6pajyw3k-z7ghx") and the API's cursors are short words of letters, digits and dashes.
WORD = RegexValidator(r"^[A-Za-z0-9_-]+$", "Use letters, digits and dashes only.")


class AnalyticsWindowForm(forms.Form):
    window = forms.ChoiceField(
        choices=[(key, window.label) for key, window in WINDOWS.items()], required=False
    )

    def chosen_window(self) -> Window:
        """The window asked for, or the default one when none (or an unknown one) was."""
        key = self.cleaned_data.get("window") if self.is_valid() else None
        return WINDOWS[key or DEFAULT_WINDOW]


class LogFilterForm(forms.Form):
    level = forms.ChoiceField(choices=LEVELS, required=False, label="Level")
    replica = forms.CharField(max_length=64, required=False, validators=[WORD], label="Replica")
    cursor = forms.CharField(max_length=64, required=False, validators=[WORD], widget=forms.HiddenInput)
