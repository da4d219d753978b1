"""Application services: load rows, call the domain, write the decision and its outbox rows.

Each function takes a SQLAlchemy session and an explicit ``now``; the caller (a route, a task, the
CLI, the demo) owns the transaction and commits. Nothing here imports Flask or Celery.
"""
