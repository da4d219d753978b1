"""Rule packs for tests only: never shipped, never importable from ``alerts``."""
