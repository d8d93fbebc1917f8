"""The endpoint registry: the mirror of remote endpoints, the HF gateway, services, tasks, views and admin."""
