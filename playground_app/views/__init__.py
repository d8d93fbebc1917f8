"""The playground's views: thin layers over playground_app.services."""
