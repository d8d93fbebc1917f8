"""What team members make in the playground outlives their account: deleting a user keeps their work."""

from django.conf import settings
from django.db import models

FORMER_MEMBER = "a former member"


class Authored(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def author_name(self) -> str:
        return self.author.get_username() if self.author is not None else FORMER_MEMBER
