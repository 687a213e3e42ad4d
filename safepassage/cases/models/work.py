import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Note(models.Model):
    SEALED_FIELDS = ("body",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="notes")
    body_sealed = models.BinaryField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class Task(models.Model):
    SEALED_FIELDS = ("title",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="tasks")
    title_sealed = models.BinaryField()
    due_on = models.DateField(null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="case_tasks")
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]


class CheckIn(models.Model):
    """Proof of life: the person was reached. A missed one raises an alert."""

    SEALED_FIELDS = ("note",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField()
    note_sealed = models.BinaryField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at"]


ALERT_KINDS = [("missed_checkin", _("Missed check-in")), ("exposure", _("Linked person exposed")),
               ("deadline", _("Deadline due")), ("infiltration", _("Suspected infiltration"))]


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=ALERT_KINDS)
    # Codes and ids only (e.g. the exposure kind): an alert is read by people on the dashboard.
    details = models.JSONField(default=dict)
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["resolved_at", "-raised_at"]
        indexes = [models.Index(fields=["case", "resolved_at"])]


class CaseEvent(models.Model):
    """A dated legal or practical event (arrival, GUDA registration, a decision notified...).
    The deadline engine computes what falls due from these."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="events")
    code = models.CharField(max_length=40)
    happened_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_on"]
