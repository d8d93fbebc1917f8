"""Forms of the playground: the chat composer and its parameters, the image form, uploads, the history's
search, gallery filters."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from endpoints_app.models import Endpoint
from playground_app import history_search
from playground_app import parameters as limits
from playground_app.models import Conversation, GeneratedImage, Message, QueryMode, Upload
from playground_app.parameters import ChatParameters, ImageParameters
from playground_app.services.asking import Action, Ask
from playground_app.services.comparisons import MAX_COLUMNS, MIN_COLUMNS
from playground_app.services.endpoints import chat_endpoints, embedding_endpoints, image_endpoints


class EndpointLabels:
    def label_from_instance(self, endpoint: Endpoint) -> str:
        return f"{endpoint.full_name} · {endpoint.repository} ({endpoint.get_status_display().lower()})"


class EndpointChoiceField(EndpointLabels, forms.ModelChoiceField):
    pass


class EndpointsChoiceField(EndpointLabels, forms.ModelMultipleChoiceField):
    pass


def _number(
    kind: type[forms.Field], bounds: tuple, label: str, help_text: str = "", **extra: Any
) -> forms.Field:
    low, high = bounds
    return kind(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any" if kind is forms.FloatField else "1"}),
        **extra,
    )


class ComposerForm(forms.Form):
    """Everything the composer holds: the conversation so far is on the server, the new text is here."""

    conversation = forms.ModelChoiceField(
        Conversation.objects.all(), required=False, widget=forms.HiddenInput
    )
    endpoint = EndpointChoiceField(chat_endpoints(), empty_label=None)
    mode = forms.ChoiceField(choices=QueryMode.choices, initial=QueryMode.MESSAGES, widget=forms.RadioSelect)
    system_prompt = forms.CharField(
        required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 2}), label="System prompt"
    )
    temperature = _number(forms.FloatField, limits.TEMPERATURE_RANGE, "Temperature", "Empty: greedy.")
    top_p = _number(forms.FloatField, limits.TOP_P_RANGE, "Top p", "Empty: not used.")
    max_new_tokens = _number(forms.IntegerField, limits.MAX_NEW_TOKENS_RANGE, "Max new tokens")
    seed = _number(forms.IntegerField, limits.SEED_RANGE, "Seed", "Empty: random.")
    stop = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Stop sequences",
        help_text=f"One per line, up to {limits.MAX_STOP_SEQUENCES}.",
    )
    repetition_penalty = _number(
        forms.FloatField, limits.REPETITION_PENALTY_RANGE, "Repetition penalty", "Raw mode on TGI only."
    )
    action = forms.ChoiceField(
        choices=[(a.value, a.value) for a in Action], required=False, widget=forms.HiddenInput
    )
    text = forms.CharField(
        required=False, max_length=20000, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    message = forms.ModelChoiceField(Message.objects.all(), required=False, widget=forms.HiddenInput)
    image = forms.ModelChoiceField(Upload.objects.all(), required=False, widget=forms.HiddenInput)

    def clean_stop(self) -> tuple[str, ...]:
        sequences = tuple(line for line in self.cleaned_data["stop"].splitlines() if line.strip())
        if len(sequences) > limits.MAX_STOP_SEQUENCES:
            raise forms.ValidationError(f"At most {limits.MAX_STOP_SEQUENCES} stop sequences.")
        if any(len(sequence) > limits.MAX_STOP_SEQUENCE_LENGTH for sequence in sequences):
            raise forms.ValidationError(
                f"Each stop sequence has at most {limits.MAX_STOP_SEQUENCE_LENGTH} characters."
            )
        return sequences

    def chat_parameters(self) -> ChatParameters:
        data = self.cleaned_data
        return ChatParameters(
            temperature=data.get("temperature"),
            top_p=data.get("top_p"),
            max_new_tokens=data.get("max_new_tokens") or limits.DEFAULT_MAX_NEW_TOKENS,
            seed=data.get("seed"),
            stop=data.get("stop") or (),
            repetition_penalty=data.get("repetition_penalty"),
        )


class ChatForm(ComposerForm):
    """The composer when it asks for an answer: a question to send, an edit, or a regeneration."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action") or Action.SEND
        data["action"] = Action(action)
        has_text = bool((data.get("text") or "").strip())
        image_alone = data["action"] == Action.SEND and data.get("image") is not None
        if data["action"] in (Action.SEND, Action.EDIT) and not has_text and not image_alone:
            self.add_error("text", "Write a message first.")
        if data["action"] == Action.EDIT and data.get("message") is None:
            self.add_error("message", "Which message is edited?")
        return data

    def ask(self) -> Ask:
        data = self.cleaned_data
        return Ask(
            action=data["action"],
            endpoint=data["endpoint"],
            mode=QueryMode(data["mode"]),
            system_prompt=data.get("system_prompt") or "",
            parameters=self.chat_parameters(),
            conversation=data.get("conversation"),
            text=data.get("text") or "",
            edited=data.get("message"),
            image=data.get("image"),
        )


class CompareForm(ComposerForm):
    """A comparison: the composer's question and parameters, sent to 2 to 4 endpoints at once."""

    conversation = None
    endpoint = None
    mode = None
    action = None
    message = None
    image = None
    endpoints = EndpointsChoiceField(
        chat_endpoints(),
        widget=forms.CheckboxSelectMultiple,
        help_text=f"{MIN_COLUMNS} to {MAX_COLUMNS} text endpoints, of any engine.",
    )
    text = forms.CharField(
        label="Message", max_length=20000, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    blind = forms.BooleanField(
        required=False,
        label="Blind",
        help_text="Hide which endpoint wrote which answer until you vote.",
    )

    field_order = ["endpoints", "system_prompt", "text", "blind"]

    def clean_endpoints(self) -> list[Endpoint]:
        chosen = list(self.cleaned_data["endpoints"])
        if not MIN_COLUMNS <= len(chosen) <= MAX_COLUMNS:
            raise forms.ValidationError(f"Choose {MIN_COLUMNS} to {MAX_COLUMNS} endpoints.")
        return chosen

    def clean_text(self) -> str:
        if not self.cleaned_data["text"].strip():
            raise forms.ValidationError("Write a message first.")
        return self.cleaned_data["text"]


def chat_initial(conversation: Conversation | None, endpoint: Endpoint | None) -> dict[str, Any]:
    """The composer's starting values: the conversation's settings, else the tutorial's defaults."""
    parameters = ChatParameters.from_json(conversation.parameters if conversation else None)
    initial = {**parameters.as_json(), "stop": "\n".join(parameters.stop), "mode": QueryMode.MESSAGES}
    if conversation is not None:
        initial.update(
            conversation=conversation.pk, mode=conversation.mode, system_prompt=conversation.system_prompt
        )
        endpoint = endpoint or conversation.endpoint
    if endpoint is not None:
        initial["endpoint"] = endpoint.pk
    return initial


class SizeField(forms.IntegerField):
    def __init__(self, label: str) -> None:
        low, high = limits.IMAGE_SIZE_RANGE
        super().__init__(
            label=label,
            min_value=low,
            max_value=high,
            initial=limits.DEFAULT_IMAGE_SIZE,
            help_text=f"{low} to {high}, a multiple of {limits.IMAGE_SIZE_STEP}.",
            widget=forms.NumberInput(attrs={"step": limits.IMAGE_SIZE_STEP}),
        )

    def validate(self, value: int) -> None:
        super().validate(value)
        if value % limits.IMAGE_SIZE_STEP:
            raise forms.ValidationError(f"Use a multiple of {limits.IMAGE_SIZE_STEP}.")


class ImageForm(forms.Form):
    endpoint = EndpointChoiceField(image_endpoints(), empty_label=None)
    prompt = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    negative_prompt = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    width = SizeField("Width")
    height = SizeField("Height")
    num_inference_steps = forms.IntegerField(
        label="Steps",
        min_value=limits.STEPS_RANGE[0],
        max_value=limits.STEPS_RANGE[1],
        initial=limits.DEFAULT_STEPS,
    )
    guidance_scale = forms.FloatField(
        label="Guidance scale",
        min_value=limits.GUIDANCE_RANGE[0],
        max_value=limits.GUIDANCE_RANGE[1],
        initial=limits.DEFAULT_GUIDANCE,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    seed = forms.IntegerField(
        required=False,
        min_value=limits.SEED_RANGE[0],
        max_value=limits.SEED_RANGE[1],
        help_text="Empty: a random seed (shown with the result).",
    )
    count = forms.IntegerField(
        label="Images",
        min_value=limits.IMAGE_COUNT_RANGE[0],
        max_value=limits.IMAGE_COUNT_RANGE[1],
        initial=1,
        help_text="Each image is its own request, with the next seed.",
    )

    def image_parameters(self) -> ImageParameters:
        data = self.cleaned_data
        return ImageParameters(
            prompt=data["prompt"],
            negative_prompt=data.get("negative_prompt") or "",
            width=data["width"],
            height=data["height"],
            num_inference_steps=data["num_inference_steps"],
            guidance_scale=data["guidance_scale"],
        )


class ImageCompareForm(ImageForm):
    """The same prompt and seed on two text-to-image endpoints."""

    other_endpoint = EndpointChoiceField(image_endpoints(), empty_label=None, label="Compared with")
    count = None

    field_order = ["endpoint", "other_endpoint"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("endpoint") is not None and data.get("endpoint") == data.get("other_endpoint"):
            self.add_error("other_endpoint", "Choose two different endpoints.")
        return data


MAX_SENTENCES = 8  # a matrix a person can read (TEI takes batches of up to 32)
MAX_SENTENCE_LENGTH = 1000
EXAMPLE_SENTENCES = (
    "How do I bake bread at home?\n"
    "Kneading the dough and letting it rise\n"
    "Jupiter is the largest planet\n"
    "Saturn's rings are made of ice and rock"
)


class EmbeddingsForm(forms.Form):
    endpoint = EndpointChoiceField(embedding_endpoints(), empty_label=None)
    sentences = forms.CharField(
        initial=EXAMPLE_SENTENCES,
        max_length=MAX_SENTENCES * (MAX_SENTENCE_LENGTH + 1),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"One per line, 2 to {MAX_SENTENCES}.",
    )

    def clean_sentences(self) -> list[str]:
        sentences = [line.strip() for line in self.cleaned_data["sentences"].splitlines() if line.strip()]
        if not 2 <= len(sentences) <= MAX_SENTENCES:
            raise forms.ValidationError(f"Write 2 to {MAX_SENTENCES} sentences, one per line.")
        if any(len(sentence) > MAX_SENTENCE_LENGTH for sentence in sentences):
            raise forms.ValidationError(f"Each sentence has at most {MAX_SENTENCE_LENGTH} characters.")
        return sentences


class UploadForm(forms.Form):
    image = forms.FileField()


class HistorySearchForm(forms.Form):
    """The history's search box (a NUL character, which PostgreSQL cannot compare, makes it invalid)."""

    q = forms.CharField(required=False)

    def query(self) -> str:
        """The search, cut to its bound (a longer one is searched by its beginning)."""
        return self.cleaned_data["q"][: history_search.MAX_QUERY_LENGTH] if self.is_valid() else ""


class GalleryFilterForm(forms.Form):
    endpoint = forms.ChoiceField(required=False)
    author = forms.ModelChoiceField(get_user_model().objects.none(), required=False, empty_label="Everyone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = GeneratedImage.objects.order_by("endpoint_label").values_list("endpoint_label", flat=True)
        self.fields["endpoint"].choices = [
            ("", "All endpoints"),
            *((label, label) for label in labels.distinct()),
        ]
        authors = GeneratedImage.objects.values("author")
        self.fields["author"].queryset = get_user_model().objects.filter(pk__in=authors).order_by("username")

    def filter(self, images: Any) -> Any:
        if not self.is_valid():
            return images
        if self.cleaned_data.get("endpoint"):
            images = images.filter(endpoint_label=self.cleaned_data["endpoint"])
        if self.cleaned_data.get("author"):
            images = images.filter(author=self.cleaned_data["author"])
        return images
