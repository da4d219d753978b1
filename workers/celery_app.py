"""Celery wired the Flask way: one Celery app per Flask app, every task run inside its app context."""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from flask import Flask
from kombu import Queue

from workers.beat import beat_schedule

# The queue names: "celery" is Celery's default, kept so that tasks already queued still run.
ROUTINE_QUEUE = "celery"
URGENT_QUEUE = "urgent"


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    broker = app.config["CELERY_BROKER_URL"]
    conf: dict[str, object] = {
        "broker_url": broker,
        # Results are never read: the database holds every outcome.
        "task_ignore_result": True,
        "result_backend": None,
        # A task is acknowledged only after it ran: a worker killed mid-task gives it back. Every
        # task is idempotent (it reloads state and claims rows), so running twice is harmless.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "beat_schedule": beat_schedule(app.config),
        # Two queues, both consumed by every worker (no -Q needed): emergency and urgent sends get
        # their own, so they never wait behind the routine drain's tasks (docs/delivery.md).
        "task_queues": (Queue(URGENT_QUEUE, routing_key=URGENT_QUEUE), Queue(ROUTINE_QUEUE, routing_key=ROUTINE_QUEUE)),
        "task_default_queue": ROUTINE_QUEUE,
        "task_routes": {"workers.tasks.deliver_urgent": {"queue": URGENT_QUEUE, "routing_key": URGENT_QUEUE}},
        "timezone": "UTC",
        "enable_utc": True,
        "worker_hijack_root_logger": False,
        # The console notifier's line reaches the terminal once, as printed; redirected, it came
        # back a second time as a WARNING log record ("the message `dosewatch up` prints twice").
        "worker_redirect_stdouts": False,
        # Every task: a soft limit (SoftTimeLimitExceeded inside the task, which rolls back its
        # open transaction) and a hard one (the pool process is killed). Nothing is lost either way:
        # the database is the schedule, so the next tick claims the same due work again, and rows a
        # killed sender held in "sending" expire to "unknown" after SEND_LEASE_SECONDS, which the
        # hard limit is validated to be shorter than: a row expired is never still being sent.
        "task_soft_time_limit": app.config["TASK_SOFT_TIME_LIMIT"],
        "task_time_limit": app.config["TASK_TIME_LIMIT"],
    }
    if broker.startswith("filesystem://"):
        folder = Path(app.config["DOSEWATCH_DATA_DIR"]) / "broker"
        for sub in ("queue", "processed"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        conf["broker_transport_options"] = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            # kombu keeps exchange tables in ./control by default, i.e. wherever the worker was started.
            "control_folder": str(folder / "control"),
            "store_processed": False,
        }
        conf["beat_schedule_filename"] = str(Path(app.config["DOSEWATCH_DATA_DIR"]) / "celerybeat-schedule")
    elif broker.startswith("redis"):
        # Redis only carries "look now" nudges; a lost message costs at most one tick of delay.
        conf["broker_transport_options"] = {"visibility_timeout": 3600}

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(conf)
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    import workers.export_tasks  # noqa: F401  (the FHIR bulk export task)
    import workers.maintenance  # noqa: F401  (retention)
    import workers.tasks  # noqa: F401  (registers the shared tasks)

    return celery_app
