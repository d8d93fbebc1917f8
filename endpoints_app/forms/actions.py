"""Confirmations of actions that cannot be undone."""

from django import forms


class DeleteConfirmForm(forms.Form):
    typed_name = forms.CharField(
        label="Type the endpoint's name to confirm",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
