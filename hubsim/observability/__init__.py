"""The service's observability of each endpoint: the traffic it received (for its OpenMetrics answer) and its
logs per replica. ``observer.Observability`` records them; ``urls`` serves them under /v2."""
