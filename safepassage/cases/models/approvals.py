import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("transition", _("State change")),
    ("erase", _("Erase the case")),
    ("release_address", _("Release a shelter address")),
    ("export", _("Export outside the organisation")),
]
STATUSES = [("pending", _("Waiting")), ("approved", _("Approved")), ("refused", _("Refused")),
            ("withdrawn", _("Withdrawn"))]


class Approval(models.Model):
    """The two-person rule: one coordinator asks, a different coordinator who is a member of the
    case approves, and only then does the action run."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(max_length=20, choices=KINDS)
    target = models.CharField(max_length=40, blank=True)  # a state code, or a stay UUID
    status = models.CharField(max_length=10, choices=STATUSES, default="pending")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "target"],
                                               condition=models.Q(status="pending"), name="one_pending_approval")]
