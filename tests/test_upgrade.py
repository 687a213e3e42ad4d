"""Upgrading keeps data: a database made by the release before the keystore and certified keys
(its schema rebuilt from the migrations, its rows made the way that release made them) opens every case and
every request after `migrate`, by staff password, recovery code and receipt; and the upgrade can
be undone."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safepassage.accounts.models import SealedTOTPDevice, User
from safepassage.audit import chain
from safepassage.cases.actions import core as case_actions
from safepassage.cases.models import Case
from safepassage.intake import threads
from safepassage.vault import certify, crypto, datakeys, fields, keyring, receipts, recovery
from safepassage.vault.models import DataKey

pytestmark = pytest.mark.django_db(transaction=True)

# The last migrations of the release before the keystore and certified keys.
OLDER = {"vault": "0001_initial", "intake": "0001_initial", "accounts": "0001_initial",
         "evidence": "0005_derived_wiped", "cases": "0003_casework", "dossiers": "0001_initial",
         "audit": "0002_chain_head"}
PASSWORD = "an old release's password 9"
PSEUDONYM = "Made Before The Upgrade Kqv"
PHRASE = "abandon ability able about above absent absorb"
SEED = bytes(range(20))  # an authenticator seed, stored in hex by the release before


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def before():
    """Every app at its latest migration, but for those the keystore changed."""
    return [(app, OLDER.get(app, name)) for app, name in latest()]


def migrate(targets):
    """Migrate the database to these nodes; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def old_release_rows(apps):
    """An organisation, a coordinator, a case and a request, as the release before made them:
    grants are bare sealed boxes, the receipt copy a bare wrap."""
    Organisation, OldUser, RoleAssignment = (apps.get_model("accounts", m) for m in
                                             ("Organisation", "User", "RoleAssignment"))
    Keyring, DataKey_, Grant = (apps.get_model("vault", m) for m in ("Keyring", "DataKey", "Grant"))
    Case_, Thread = apps.get_model("cases", "Case"), apps.get_model("intake", "Thread")
    code, recovery_public = recovery.new_code()
    org = Organisation.objects.create(name="Old Org", recovery_public_key=recovery_public)
    user = OldUser.objects.create(username="oldcoord", organisation=org, is_active=True)
    RoleAssignment.objects.create(user=user, role="coordinator")
    public, secret = crypto.new_keypair()
    salt = crypto.random_bytes(crypto.SALT_BYTES)
    from django.conf import settings

    ops, mem = settings.VAULT_ARGON2["opslimit"], settings.VAULT_ARGON2["memlimit"]
    Keyring.objects.create(user=user, public_key=public, salt=salt, opslimit=ops, memlimit=mem,
                           sealed_secret=crypto.wrap(crypto.derive_key(PASSWORD, salt, ops, mem), secret))

    def data_key(purpose):
        key = crypto.random_key()
        row = DataKey_.objects.create(organisation=org, purpose=purpose)
        Grant.objects.create(data_key=row, user=user, sealed_key=crypto.seal_to(public, key))
        Grant.objects.create(data_key=row, user=None, sealed_key=crypto.seal_to(recovery_public, key))
        return row, key

    apps.get_model("otp_totp", "TOTPDevice").objects.create(user=user, name="phone", confirmed=True, key=SEED.hex())
    case_key_row, case_key = data_key("case")
    case = Case_(organisation=org, data_key=case_key_row, urgency=1)
    fields.seal_text(case_key, case, "pseudonym", PSEUDONYM)
    fields.seal_text(case_key, case, "summary", "")
    case.save()
    thread_key_row, thread_key = data_key("intake")
    salt, wrapped = receipts.wrap_for_receipt(thread_key, PHRASE)
    thread = Thread(organisation=org, data_key=thread_key_row, receipt_lookup=receipts.lookup_id(PHRASE),
                    receipt_salt=salt, receipt_wrapped_key=wrapped, urgency=1, language="en")
    for name in ("story", "contact", "referrer"):
        fields.seal_text(thread_key, thread, name, f"old {name}")
    thread.save()
    old_audit_chain(apps, org, user)
    return code, case.pk, thread.pk, thread_key


def old_audit_chain(apps, org, user):
    """Three events hashed as the release before hashed them: plain SHA-256."""
    import hashlib
    import json

    from django.utils import timezone

    AuditEvent, AuditHead = apps.get_model("audit", "AuditEvent"), apps.get_model("audit", "AuditHead")
    prev = "0" * 64
    for seq in range(1, 4):
        at = timezone.now()
        body = [seq, at.isoformat(), str(org.pk), str(user.uuid), "case.read", "case", "x", {"n": seq}, prev]
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        AuditEvent.objects.create(seq=seq, at=at, organisation=str(org.pk), actor=str(user.uuid), action="case.read",
                                  object_type="case", object_id="x", details={"n": seq}, prev_hash=prev, hash=digest)
        prev = digest
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": 3, "hash": prev})


def test_an_existing_database_still_opens_its_cases_and_requests_after_upgrading():
    code, case_pk, thread_pk, thread_key = old_release_rows(migrate(before()))
    migrate(latest())

    user = User.objects.get(username="oldcoord")
    secret = keyring.unlock(user.keyring, PASSWORD)
    case = Case.objects.get(pk=case_pk)
    assert DataKey.objects.get(pk=case.data_key_id).kek_wrapped  # wrapped by the upgrade
    assert case_actions.open_case(user, secret, case).pseudonym == PSEUDONYM
    recovery_secret = recovery.secret_from_code(code, bytes(user.organisation.recovery_public_key))
    key = datakeys.open_with_recovery(case.data_key, recovery_secret)
    assert fields.open_text(key, case, "pseudonym") == PSEUDONYM
    found, by_receipt = threads.find_by_receipt(PHRASE)
    assert (found.pk, by_receipt) == (thread_pk, thread_key)
    device = SealedTOTPDevice.objects.get(user=user)
    assert device.key.startswith("s1:") and device.bin_key == SEED  # sealed, and the same codes
    assert certify.staff_key(user) == bytes(user.keyring.public_key)  # certified as it was
    verdict = chain.verify()  # the old chain, checked and re-keyed
    assert verdict.ok and verdict.count == 4  # the three of before, and the case opened just now


def test_the_upgrade_can_be_undone_and_the_old_release_opens_its_rows_again():
    _code, case_pk, _thread_pk, thread_key = old_release_rows(migrate(before()))
    migrate(latest())
    apps = migrate(before())
    Grant, Thread = apps.get_model("vault", "Grant"), apps.get_model("intake", "Thread")
    user = apps.get_model("accounts", "User").objects.get(username="oldcoord")
    secret = keyring.unlock(apps.get_model("vault", "Keyring").objects.get(user=user), PASSWORD)
    case = apps.get_model("cases", "Case").objects.get(pk=case_pk)
    key = crypto.open_sealed(secret, bytes(Grant.objects.get(data_key_id=case.data_key_id, user=user).sealed_key))
    assert fields.open_text(key, case, "pseudonym") == PSEUDONYM
    thread = Thread.objects.get()
    assert receipts.unwrap_with_receipt(PHRASE, thread.receipt_salt, thread.receipt_wrapped_key) == thread_key
    migrate(latest())
