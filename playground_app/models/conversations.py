"""Conversations with text-generation endpoints: team-visible, each with its author and its messages."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from endpoints_app.models import Endpoint
from playground_app.models.authored import Authored


class QueryMode(models.TextChoices):
    """The tutorial's three ways to query an endpoint (which of them an engine serves: capabilities.py)."""

    MESSAGES = "messages", "OpenAI-compatible messages API"
    RAW = "raw", "Raw (templated prompt)"  # to TGI's /generate, or /v1/completions
    CLIENT = "client", "InferenceClient.chat_completion"


class Role(models.TextChoices):
    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"


class MessageStatus(models.TextChoices):
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"  # the person pressed Stop: the text is what arrived until then
    FAILED = "failed", "Failed"  # `error` says why; such an answer is never sent back to the model
    # Still arriving: the text is what arrived by `saved_at` (saved about every second while it grows). One
    # whose saves stopped belonged to a web process that died: it is shown as cut off (Message.is_cut_off).
    STREAMING = "streaming", "Arriving"


class Conversation(Authored):
    title = models.CharField(max_length=120)
    endpoint = models.ForeignKey(
        Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    endpoint_label = models.CharField(
        max_length=140, blank=True, help_text="namespace/name of the endpoint, kept if it is deleted."
    )
    mode = models.CharField(max_length=16, choices=QueryMode.choices, default=QueryMode.MESSAGES)
    system_prompt = models.TextField(blank=True)
    parameters = models.JSONField(default=dict, blank=True, help_text="The generation parameters last used.")
    pinned = models.BooleanField(default=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-pinned", "-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("playground:conversation", args=[self.pk])


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    position = models.PositiveIntegerField()
    role = models.CharField(max_length=16, choices=Role.choices)
    content = models.TextField(blank=True)
    image = models.ForeignKey(
        "playground_app.Upload", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.COMPLETE)
    error = models.TextField(blank=True)
    # How an answer was obtained, and how fast: shown under it.
    endpoint_label = models.CharField(max_length=140, blank=True)
    mode = models.CharField(max_length=16, choices=QueryMode.choices, blank=True)
    time_to_first_token_ms = models.FloatField(null=True, blank=True)
    tokens_per_second = models.FloatField(null=True, blank=True)
    input_tokens = models.PositiveIntegerField(null=True, blank=True)
    output_tokens = models.PositiveIntegerField(null=True, blank=True)
    # An answer asked without the oldest turns (they did not fit what the endpoint accepts) says so.
    history_notice = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True, help_text="When an answer's text was last saved.")

    class Meta:
        ordering = ["conversation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "position"], name="one_message_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.role} #{self.position} of {self.conversation_id}"

    @property
    def is_answer(self) -> bool:
        return self.role == Role.ASSISTANT

    @property
    def is_cut_off(self) -> bool:
        """An answer still marked as arriving whose saves stopped: the web process writing it died."""
        if self.status != MessageStatus.STREAMING:
            return False
        silent = timedelta(seconds=settings.PLAYGROUND_ANSWER_CUT_OFF_SECONDS)
        return (self.saved_at or self.created_at) < timezone.now() - silent
