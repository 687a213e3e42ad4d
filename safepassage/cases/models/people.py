import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PERSON_ROLES = [("applicant", _("Applicant")), ("partner", _("Partner")), ("family", _("Family")),
                ("friend", _("Friend")), ("other", _("Other"))]
EXPOSURE_KINDS = [("detained", _("Detained")), ("phone_seized", _("Phone seized")),
                  ("disappeared", _("Disappeared")), ("outed", _("Outed")), ("threatened", _("Threatened"))]
INDEX_KINDS = [("name", _("Name")), ("full_name", _("Full name")), ("phone", _("Phone number")),
               ("birth_date", _("Birth date"))]


class Person(models.Model):
    """Someone in a case: the applicant or a person close to them."""

    SEALED_FIELDS = ("name", "phone", "birth_date", "notes")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(max_length=12, choices=PERSON_ROLES)
    name_sealed = models.BinaryField()
    phone_sealed = models.BinaryField()
    birth_date_sealed = models.BinaryField()
    notes_sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class PersonLink(models.Model):
    """Two persons (often in different cases) and what exposes one through the other,
    e.g. "his photo is in X's phone". The description is sealed under the key of the case it
    was recorded in."""

    SEALED_FIELDS = ("exposure",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recorded_in = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_out")
    b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(max_length=12, choices=PERSON_ROLES)
    exposure_sealed = models.BinaryField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class ExposureEvent(models.Model):
    """Something that endangers everyone linked to a person: an arrest puts the detainee's
    phone contacts at risk."""

    SEALED_FIELDS = ("note",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exposures")
    kind = models.CharField(max_length=14, choices=EXPOSURE_KINDS)
    happened_on = models.DateField()
    note_sealed = models.BinaryField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class IndexKey(models.Model):
    """The organisation's blind-index key: a DataKey sealed to staff like a case key, so indexes
    are computed inside a staff session, never from a key at rest."""

    organisation = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, primary_key=True)
    data_key = models.OneToOneField("vault.DataKey", on_delete=models.PROTECT, related_name="+")


class BlindIndex(models.Model):
    """HMAC of one normalised token (a transliterated name, phone digits, a birth date)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="blind_indexes")
    kind = models.CharField(max_length=12, choices=INDEX_KINDS)
    digest = models.CharField(max_length=64, db_index=True)
