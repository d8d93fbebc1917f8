"""The Django admin of the playground: conversations (their messages read-only), generated images, uploads."""

from django.contrib import admin

from playground_app.models import Conversation, GeneratedImage, Message, Upload


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["position", "role", "content", "status", "error", "output_tokens"]
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "endpoint_label", "mode", "pinned", "updated_at"]
    list_filter = ["mode", "pinned"]
    search_fields = ["title", "author__username", "endpoint_label"]
    inlines = [MessageInline]


@admin.register(GeneratedImage)
class GeneratedImageAdmin(admin.ModelAdmin):
    list_display = ["prompt", "author", "endpoint_label", "width", "height", "seed", "created_at"]
    list_filter = ["endpoint_label"]
    search_fields = ["prompt", "author__username"]


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["original_name", "author", "content_type", "width", "height", "created_at"]
