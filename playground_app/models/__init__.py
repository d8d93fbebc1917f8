"""The playground's models: shared conversations and their messages, generated images, uploaded images."""

from playground_app.models.comparisons import Comparison, ComparisonColumn, Vote
from playground_app.models.conversations import Conversation, Message, MessageStatus, QueryMode, Role
from playground_app.models.images import GeneratedImage
from playground_app.models.uploads import Upload

__all__ = [
    "Comparison",
    "ComparisonColumn",
    "Conversation",
    "GeneratedImage",
    "Message",
    "MessageStatus",
    "QueryMode",
    "Role",
    "Upload",
    "Vote",
]
