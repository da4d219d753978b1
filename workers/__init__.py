"""Celery side: the app wiring, the tasks, and the beat schedule."""
