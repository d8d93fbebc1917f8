"""Searching the team's conversations by words of their titles and messages.

On PostgreSQL the messages are searched with full-text search over an index (migration 0006): each word of the
query is a prefix ("garden" finds "gardening"), all of them must match. Elsewhere (SQLite, the default
database) the words are matched as one phrase inside the text, which scans the messages: fine for a team's
playground on one machine, and why production runs on PostgreSQL.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from playground_app.models import Conversation, Message

MAX_QUERY_LENGTH = 200  # characters of a search; the form cuts a longer one
MAX_WORDS = 8
SEARCH_CONFIG = "simple"  # no stemming or stop words: the team's messages are in any language
WORD = re.compile(r"\w+")


def matching(conversations: QuerySet[Conversation], query: str) -> QuerySet[Conversation]:
    """The conversations whose title or messages hold the query's words, or whose author it names."""
    text = " ".join(query.split())
    by_author = Q(author__username__iexact=text)
    if connection.vendor != "postgresql":
        messages = Message.objects.filter(conversation=OuterRef("pk"), content__icontains=text)
        return conversations.filter(Q(title__icontains=text) | Exists(messages) | by_author)
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        return conversations.filter(by_author)
    prefixes = SearchQuery(" & ".join(f"{word}:*" for word in words), config=SEARCH_CONFIG, search_type="raw")
    # Not correlated with each conversation, so that the planner reads the index once for all of them.
    found = Message.objects.annotate(words=content_vector()).filter(words=prefixes).values("conversation_id")
    titled = conversations.annotate(title_words=SearchVector("title", config=SEARCH_CONFIG))
    return titled.filter(Q(title_words=prefixes) | Q(pk__in=found) | by_author)


def content_vector() -> SearchVector:
    """The expression the messages' search index is built on (the query must repeat it to use the index)."""
    return SearchVector("content", config=SEARCH_CONFIG)
