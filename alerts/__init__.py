"""dosewatch: caregiver alerting for people who take baclofen."""

from alerts.app import create_app

__all__ = ["create_app"]
