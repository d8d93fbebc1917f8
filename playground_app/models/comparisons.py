"""Comparisons: one question sent to 2 to 4 text endpoints, each column a conversation of its own, and the
team's votes on which answered best."""

from django.db import models
from django.urls import reverse

from endpoints_app.models import Endpoint
from playground_app.models.authored import Authored
from playground_app.models.conversations import Conversation, Message, QueryMode, Role

LETTERS = "ABCD"  # the columns, as shown (their order is shuffled in blind mode)


class Comparison(Authored):
    title = models.CharField(max_length=120)
    prompt = models.TextField()
    system_prompt = models.TextField(blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    blind = models.BooleanField(
        default=False, help_text="Hides which endpoint wrote which column until the person votes."
    )
    rerun_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reruns"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("playground:comparison", args=[self.pk])


class ComparisonColumn(models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="columns")
    letter = models.CharField(max_length=1)
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="comparison_column"
    )
    endpoint = models.ForeignKey(
        Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="comparison_columns"
    )
    endpoint_label = models.CharField(max_length=140, help_text="namespace/name, kept if it is deleted.")
    mode = models.CharField(max_length=16, choices=QueryMode.choices, blank=True)
    hourly_price = models.DecimalField(
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Price per replica times replicas when the comparison was made (empty: unknown).",
    )

    class Meta:
        ordering = ["comparison", "letter"]
        constraints = [models.UniqueConstraint(fields=["comparison", "letter"], name="one_column_per_letter")]

    def __str__(self) -> str:
        return f"{self.letter} of comparison {self.comparison_id}"

    def answer(self) -> Message | None:
        """The column's latest answer (a re-asked column keeps only its last one)."""
        return self.conversation.messages.filter(role=Role.ASSISTANT).order_by("-position").first()


class Vote(Authored):
    """One person's verdict on a comparison: the best column, or a tie (no winner)."""

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="votes")
    winner = models.ForeignKey(
        ComparisonColumn, null=True, blank=True, on_delete=models.CASCADE, related_name="wins"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["comparison", "author"], name="one_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.author_name} on comparison {self.comparison_id}"
