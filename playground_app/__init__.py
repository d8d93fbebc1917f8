"""The team playground: chat, images and multimodal questions against the mirrored endpoints."""
