"""Operations: the service watching itself (heartbeats, readiness, dead man's switch), metrics,
structured logs, error reporting and data retention. Nothing here decides anything clinical."""
