"""`safepassage keystore check`: settles what a crash left and says the keystore is intact, or
exits 1 naming the bucket whose keys disagree with the database."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from safepassage.vault import datakeys, keystore
from safepassage.vault.models import DataKey

from .conftest import make_org

pytestmark = pytest.mark.django_db(transaction=True)


def test_check_destroys_an_old_key_left_by_a_crash_and_reports_the_live_keys(monkeypatch):
    org = make_org()
    row, _ = datakeys.create(org.org, "case", [org.coordinator.user])
    old = keystore.key(row.bucket, row.generation)
    monkeypatch.setattr(keystore, "finish_rotation", lambda bucket, generation: None)
    datakeys.shred(row)
    monkeypatch.undo()
    out = io.StringIO()
    call_command("keystore", "check", stdout=out)
    destroyed = int(re.search(r"(\d+) old bucket keys destroyed", out.getvalue()).group(1))
    assert destroyed >= 1  # this one, and any left by rotations that other tests rolled back
    assert old not in keystore.path().read_bytes()
    live = DataKey.objects.exclude(kek_wrapped=b"").count()
    assert f"{live} live keys" in out.getvalue()


def test_check_fails_when_a_key_is_not_where_its_bucket_says():
    org = make_org()
    row, _ = datakeys.create(org.org, "case", [org.coordinator.user])
    DataKey.objects.filter(pk=row.pk).update(generation=row.generation + 5)  # a tampered or half-restored row
    with pytest.raises(CommandError, match=f"bucket {row.bucket}"):
        call_command("keystore", "check", stdout=io.StringIO())
