"""Business actions on endpoints, credentials and the mirror: called by views, tasks and commands alike."""
