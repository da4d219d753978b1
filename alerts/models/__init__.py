"""SQLAlchemy models, one module per aggregate. Import from here."""

from alerts.models.alert import Alert
from alerts.models.audit import AuditEvent
from alerts.models.api_token import ApiToken, token_patient
from alerts.models.base import Base, UTCDateTime
from alerts.models.caregiver import Caregiver, OptOut
from alerts.models.checkin import CheckIn
from alerts.models.console import AlertNote, AlertPause
from alerts.models.device import Device, DeviceEvent
from alerts.models.dose_event import DoseEvent
from alerts.models.export_job import ExportJob
from alerts.models.heartbeat import Heartbeat
from alerts.models.inbound_message import InboundMessage
from alerts.models.medication import Medication
from alerts.models.notification import FINAL_STATUSES, STATUS_RANK, Notification
from alerts.models.patient import Patient
from alerts.models.reading import Reading, ReadingHour, VitalFinding
from alerts.models.schedule import Dose, DoseSchedule
from alerts.models.user import Invite, RecoveryCode, SignInCode, User, clinician_patient

__all__ = [
    "Alert", "AlertNote", "AlertPause", "ApiToken", "AuditEvent", "Base", "Caregiver", "CheckIn", "Device",
    "DeviceEvent", "Dose", "DoseEvent", "DoseSchedule", "ExportJob", "FINAL_STATUSES", "Heartbeat", "InboundMessage",
    "Invite", "Medication", "Notification", "OptOut", "Patient", "Reading", "ReadingHour", "RecoveryCode",
    "STATUS_RANK", "SignInCode",
    "UTCDateTime", "User", "VitalFinding", "clinician_patient", "token_patient",
]
