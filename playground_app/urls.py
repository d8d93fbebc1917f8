from django.urls import path

from playground_app.views import chat, comparisons, conversations, embeddings, endpoints, images, streaming, uploads

app_name = "playground"

urlpatterns = [
    path("", chat.new_chat, name="chat"),
    path("c/<int:pk>/", chat.conversation, name="conversation"),
    path("c/<int:pk>/rename", conversations.rename, name="rename"),
    path("c/<int:pk>/pin", conversations.pin, name="pin"),
    path("c/<int:pk>/clear", conversations.clear, name="clear"),
    path("c/<int:pk>/delete", conversations.delete, name="delete"),
    path("c/<int:pk>/copy", conversations.copy, name="copy"),
    path("c/<int:pk>/export.json", conversations.export_json, name="export_json"),
    path("c/<int:pk>/export.md", conversations.export_markdown, name="export_markdown"),
    path("history", chat.history, name="history"),
    path("compare/", comparisons.compare, name="compare"),
    path("compare/<int:pk>/", comparisons.comparison, name="comparison"),
    path("compare/<int:pk>/columns/<str:letter>", comparisons.comparison_column, name="comparison_column"),
    path("compare/<int:pk>/vote", comparisons.vote, name="comparison_vote"),
    path("compare/<int:pk>/rerun", comparisons.rerun, name="comparison_rerun"),
    path("compare/<int:pk>/export.json", comparisons.export_json, name="comparison_export_json"),
    path("compare/<int:pk>/export.md", comparisons.export_markdown, name="comparison_export_markdown"),
    path("answer", streaming.answer, name="answer"),
    path("preview", chat.preview, name="preview"),
    path("code", chat.code, name="code"),
    path("endpoints/<int:pk>/state", endpoints.state, name="endpoint_state"),
    path("endpoints/<int:pk>/resume", endpoints.resume, name="endpoint_resume"),
    path("uploads", uploads.upload, name="upload"),
    path("uploads/<int:pk>", uploads.upload_file, name="upload_file"),
    path("images/", images.images, name="images"),
    path("images/generate", images.generate, name="generate"),
    path("embeddings/", embeddings.embeddings, name="embeddings"),
    path("embeddings/compare", embeddings.compare, name="compare_embeddings"),
    path("images/compare", images.compare_images, name="compare_images"),
    path("gallery/", images.gallery, name="gallery"),
    path("gallery/compare", images.gallery_compare, name="gallery_compare"),
    path("gallery/<int:pk>/", images.image, name="image"),
    path("gallery/<int:pk>/delete", images.image_delete, name="image_delete"),
    path("gallery/<int:pk>/image.png", images.image_original, name="image_original"),
    path("gallery/<int:pk>/download", images.image_file, name="image_download"),
    path("gallery/<int:pk>/thumbnail.webp", images.image_thumbnail, name="image_thumbnail"),
]
