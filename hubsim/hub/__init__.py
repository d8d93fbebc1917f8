"""The Hub routes clients need: whoami-v2, model info, tree and file resolution (HEAD and GET)."""
