"""Staff keyrings sealed under the password, and data keys held only as sealed grants."""

import pytest

from safepassage.vault import crypto, datakeys, keyring, recovery
from safepassage.vault.errors import NoAccess, Tampered, WrongPassword
from safepassage.vault.models import DataKey, Grant, Keyring

from .conftest import PASSWORD, make_org

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a different passphrase, also long"


def fresh_keyring(user) -> Keyring:
    return Keyring.objects.get(user=user)


# --- Keyring ----------------------------------------------------------------------------------------

def test_unlock_with_right_password_matches_public_key(org):
    ring = fresh_keyring(org.coordinator.user)
    secret = keyring.unlock(ring, PASSWORD)
    assert len(secret) == crypto.KEY_BYTES
    assert crypto.public_from_secret(secret) == bytes(ring.public_key)


@pytest.mark.parametrize("wrong", ["", "correct horse battery stapl", "Correct horse battery staple",
                                   PASSWORD + " ", "Иван"])
def test_unlock_with_wrong_password_fails(org, wrong):
    with pytest.raises(WrongPassword):
        keyring.unlock(fresh_keyring(org.coordinator.user), wrong)


def test_rewrap_under_new_password(org):
    user = org.coordinator.user
    ring = fresh_keyring(user)
    secret = keyring.unlock(ring, PASSWORD)
    old_salt, old_sealed = bytes(ring.salt), bytes(ring.sealed_secret)

    keyring.rewrap(ring, secret, NEW_PASSWORD)

    ring = fresh_keyring(user)
    assert bytes(ring.salt) != old_salt
    assert bytes(ring.sealed_secret) != old_sealed
    with pytest.raises(WrongPassword):
        keyring.unlock(ring, PASSWORD)
    assert keyring.unlock(ring, NEW_PASSWORD) == secret
    assert crypto.public_from_secret(secret) == bytes(ring.public_key)


def test_stored_row_holds_neither_password_nor_secret(team):
    for staff in team.values():
        ring = fresh_keyring(staff.user)
        secret = keyring.unlock(ring, staff.password)
        stored = b"|".join(bytes(value) for value in (ring.sealed_secret, ring.salt, ring.public_key))
        for needle in (secret, staff.password.encode(), secret.hex().encode(),
                       staff.password.encode("utf-16-le")):
            assert needle not in stored
        assert bytes(ring.public_key) != secret
        # What wraps the secret is derived from the password, never the password itself.
        padded = staff.password.encode().ljust(crypto.KEY_BYTES, b"\0")[:crypto.KEY_BYTES]
        with pytest.raises(Tampered):
            crypto.unwrap(padded, bytes(ring.sealed_secret))


def test_each_user_has_own_salt_and_key(team):
    rings = [fresh_keyring(staff.user) for staff in team.values()]
    assert len({bytes(r.salt) for r in rings}) == len(rings)
    assert len({bytes(r.public_key) for r in rings}) == len(rings)


# --- Data keys and grants -----------------------------------------------------------------------------

def recovery_secret(org) -> bytes:
    return recovery.secret_from_code(org.recovery_code, bytes(org.org.recovery_public_key))


def test_grant_opens_only_with_members_secret(org, team):
    coord, worker, outsider = team["coordinator"], team["caseworker"], team["outsider"]
    row, key = datakeys.create(org.org, "case", [coord.user, worker.user],
                               granted_by=coord.user)

    assert datakeys.open_for(row, coord.user, coord.secret) == key
    assert datakeys.open_for(row, worker.user, worker.secret) == key
    assert datakeys.open_with_recovery(row, recovery_secret(org)) == key
    assert {g.user for g in datakeys.holders(row)} == {coord.user, worker.user}
    # One sealed copy per holder plus one to the recovery key; none of them is the key in clear.
    grants = list(Grant.objects.filter(data_key=row))
    assert len(grants) == 3
    assert all(key not in bytes(g.sealed_key) for g in grants)

    # Someone else's grant does not open with your secret.
    with pytest.raises(Tampered):
        datakeys.open_for(row, worker.user, coord.secret)
    with pytest.raises(Tampered):
        datakeys.open_with_recovery(row, worker.secret)
    # A non-member holds no grant at all.
    with pytest.raises(NoAccess):
        datakeys.open_for(row, outsider.user, outsider.secret)


def test_grant_by_member_then_revoke(org, team):
    coord, worker = team["coordinator"], team["caseworker"]
    row, _ = datakeys.create(org.org, "case", [coord.user])
    with pytest.raises(NoAccess):
        datakeys.open_for(row, worker.user, worker.secret)

    key = datakeys.open_for(row, coord.user, coord.secret)
    datakeys.grant(row, key, worker.user, granted_by=coord.user)
    assert datakeys.open_for(row, worker.user, worker.secret) == key

    assert datakeys.revoke(row, worker.user) == 1
    assert datakeys.revoke(row, worker.user) == 0
    with pytest.raises(NoAccess):
        datakeys.open_for(row, worker.user, worker.secret)


def test_rotate_gives_new_key_to_remaining_holders_and_recovery(org, team):
    coord, coord2, worker = team["coordinator"], team["coordinator2"], team["caseworker"]
    row, old_key = datakeys.create(org.org, "case", [coord.user, coord2.user, worker.user])
    old_sealed = {g.pk: bytes(g.sealed_key) for g in Grant.objects.filter(data_key=row)}

    datakeys.revoke(row, worker.user)
    new_key = datakeys.rotate(row, org.org)

    assert new_key != old_key and len(new_key) == crypto.KEY_BYTES
    assert datakeys.open_for(row, coord.user, coord.secret) == new_key
    assert datakeys.open_for(row, coord2.user, coord2.secret) == new_key
    assert datakeys.open_with_recovery(row, recovery_secret(org)) == new_key
    with pytest.raises(NoAccess):
        datakeys.open_for(row, worker.user, worker.secret)
    # Every remaining grant was re-sealed; none still carries the old key.
    remaining = Grant.objects.filter(data_key=row)
    assert remaining.count() == 3
    for g in remaining:
        assert bytes(g.sealed_key) != old_sealed[g.pk]


def test_shred_leaves_nothing_that_opens(org, team):
    coord, worker = team["coordinator"], team["caseworker"]
    row, _ = datakeys.create(org.org, "case", [coord.user, worker.user])
    rescue = recovery_secret(org)
    assert datakeys.open_with_recovery(row, rescue)

    datakeys.shred(row)

    assert not Grant.objects.filter(data_key=row).exists()
    assert DataKey.objects.get(pk=row.pk).shredded_at is not None
    with pytest.raises(NoAccess):
        datakeys.open_with_recovery(row, rescue)
    for staff in (coord, worker):
        with pytest.raises(NoAccess):
            datakeys.open_for(row, staff.user, staff.secret)


def test_recovery_code_belongs_to_its_org(org):
    other = make_org("Other Org", "othercoord")
    assert recovery_secret(org) != recovery_secret(other)
    with pytest.raises(WrongPassword):
        recovery.secret_from_code(other.recovery_code, bytes(org.org.recovery_public_key))
