"""Domain logic: plain functions of values and a ``now``. No Flask, Celery, Twilio or DB session."""
