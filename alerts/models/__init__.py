"""SQLAlchemy models, one module per aggregate. Import from here."""

from alerts.models.alert import Alert
from alerts.models.api_token import ApiToken, token_patient
from alerts.models.base import Base, UTCDateTime
from alerts.models.caregiver import Caregiver, OptOut
from alerts.models.checkin import CheckIn
from alerts.models.device import Device, DeviceEvent
from alerts.models.dose_event import DoseEvent
from alerts.models.export_job import ExportJob
from alerts.models.heartbeat import Heartbeat
from alerts.models.inbound_message import InboundMessage
from alerts.models.medication import Medication
from alerts.models.notification import FINAL_STATUSES, STATUS_RANK, Notification
from alerts.models.patient import Patient
from alerts.models.reading import Reading, VitalFinding
from alerts.models.schedule import Dose, DoseSchedule

__all__ = [
    "Alert", "ApiToken", "Base", "Caregiver", "CheckIn", "Device", "DeviceEvent", "Dose", "DoseEvent", "DoseSchedule",
    "ExportJob", "FINAL_STATUSES", "Heartbeat", "InboundMessage", "Medication", "Notification", "OptOut", "Patient",
    "Reading", "STATUS_RANK",
    "UTCDateTime", "VitalFinding", "token_patient",
]
