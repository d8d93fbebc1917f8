"""The endpoint registry's forms: endpoint settings, list and audit filters, credentials, confirmations."""
