"""What the public site's database role may do (PostgreSQL): exactly what intake/service.py
runs, and nothing more. It inserts sealed requests, messages and files' rows; reads threads
(sealed) to find one by its receipt lookup; reads who receives requests and their public keys;
appends to the audit chain. It reads no case, no evidence, no staff column beyond those, no
session, no secret key: a compromised public process cannot read what staff hold.

Columns are listed where a table is only partly readable. Inserting into a table whose id the
database makes needs SELECT on that id (INSERT ... RETURNING id)."""

import re

from safepassage.accounts.models import Organisation, RoleAssignment, User
from safepassage.audit.models import AuditEvent, AuditHead
from safepassage.vault.models import DataKey, Grant, KeyBucket, Keyring

from .models import Attachment, Message, Thread

# (model, privileges, columns or None for the whole row)
GRANTS = [
    (Organisation, "SELECT", ["id", "recovery_public_key", "recovery_certificate"]),
    (User, "SELECT", ["id", "uuid", "organisation_id", "is_active"]),
    (RoleAssignment, "SELECT", ["user_id", "role"]),
    (Keyring, "SELECT", ["id", "user_id", "public_key", "certificate"]),
    # A new request's data key, its KEK wrapped under a keystore bucket key (the public process
    # reads the keystore file too), and reading it back to open the receipt copy.
    (DataKey, "SELECT, INSERT", None),
    (KeyBucket, "SELECT, INSERT", None),
    (Grant, "INSERT", None),
    (Grant, "SELECT", ["id"]),
    (Thread, "SELECT, INSERT", None),
    (Thread, "UPDATE", ["last_applicant_at"]),
    (Message, "SELECT, INSERT", None),
    (Attachment, "SELECT, INSERT", None),
    (AuditEvent, "INSERT", None),
    (AuditEvent, "SELECT", ["id"]),
    (AuditHead, "SELECT, INSERT, UPDATE", None),
]

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def statements(role: str, database: str) -> list[str]:
    """The SQL that gives `role` these rights and no others on every table of the schema."""
    if not ROLE_NAME.match(role) or not ROLE_NAME.match(database):
        raise ValueError("role and database names: lower-case letters, digits and _ only")
    sql = [f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{role}";',
           f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "{role}";',
           f'GRANT CONNECT ON DATABASE "{database}" TO "{role}";',
           f'GRANT USAGE ON SCHEMA public TO "{role}";']
    for model, privileges, columns in GRANTS:
        table = model._meta.db_table
        for privilege in privileges.split(", "):
            if columns is None:
                sql.append(f'GRANT {privilege} ON "{table}" TO "{role}";')
            else:
                cols = ", ".join(f'"{model._meta.get_field(c).column}"' for c in columns)
                sql.append(f'GRANT {privilege} ({cols}) ON "{table}" TO "{role}";')
    return sql
