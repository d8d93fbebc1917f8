"""The playground's actions: conversations, answers, images and uploads; each checks who may do it."""
