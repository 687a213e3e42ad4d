import uuid

from django.conf import settings
from django.db import models


class TestimonyShare(models.Model):
    """A redacted copy of a testimony, given by a case member to the documentation researchers
    while the person's consent to public advocacy is in force.

    The text is sealed to the evidence base's drop-box key (fields.box_text), not to the case
    key: the sharer can no longer read this copy, and the researchers never hold the case key.
    The case is kept (plain) so that two shares from one case can be recognised as one person,
    and erasing the case withdraws its shares; researchers are never shown which case it is."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    testimony = models.ForeignKey("evidence.Testimony", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="shares")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text_boxed = models.BinaryField()
    language = models.CharField(max_length=16)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # When what researchers typed from this copy (its victim's description, the notes of acts only
    # it reported) was wiped too: done in the next researcher's session, the only place with the key.
    derived_wiped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_on", "-created_at"]

    @property
    def short_ref(self) -> str:
        return "T-" + str(self.id)[:6]
