"""Adding and replacing the team's Hugging Face tokens (the token field never renders its value)."""

from django import forms

HELP_TEXT = (
    "A fine-grained token allowed to manage Inference Endpoints. It is checked with Hugging Face first."
)


class TokenField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label="Token",
            max_length=200,
            strip=True,
            widget=forms.PasswordInput(attrs={"autocomplete": "off", "placeholder": "hf_…"}),
            help_text=HELP_TEXT,
            **kwargs,
        )


class CredentialForm(forms.Form):
    label = forms.CharField(label="Label", max_length=100, help_text="For people, e.g. 'Team CI token'.")
    token = TokenField()


class ReplaceTokenForm(forms.Form):
    token = TokenField()
