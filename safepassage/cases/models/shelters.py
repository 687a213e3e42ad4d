import uuid

from django.db import models


class Shelter(models.Model):
    """A safe house. Its name and address are sealed under the organisation's shelter key, held
    by shelter coordinators only; a case's members see an address only after a two-person
    release, as a copy sealed under the case key on the stay."""

    SEALED_FIELDS = ("name", "address")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="shelters")
    data_key = models.OneToOneField("vault.DataKey", on_delete=models.PROTECT, related_name="shelter")
    name_sealed = models.BinaryField()
    address_sealed = models.BinaryField()
    capacity = models.PositiveSmallIntegerField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Stay(models.Model):
    SEALED_FIELDS = ("address",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="stays")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="stays")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    people = models.PositiveSmallIntegerField(default=1)
    # Empty until the address is released to the case's members (sealed under the case key).
    address_sealed = models.BinaryField(default=b"")
    released_at = models.DateTimeField(null=True, blank=True)
