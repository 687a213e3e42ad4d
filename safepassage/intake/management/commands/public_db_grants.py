from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from safepassage.intake import public_role


class Command(BaseCommand):
    help = ("PostgreSQL: print (or --apply) the grants of the public site's own database role: insert sealed "
            "requests and read its threads, nothing of cases or staff. Run it again after every upgrade.")

    def add_arguments(self, parser):
        parser.add_argument("role", help="an existing PostgreSQL role (CREATE ROLE ... LOGIN first)")
        parser.add_argument("--apply", action="store_true", help="run the statements on the database now")

    def handle(self, *args, role, apply, **options):
        if connection.vendor != "postgresql":
            raise CommandError(_("Database roles need PostgreSQL; with SQLite the public site shares the file."))
        try:
            sql = public_role.statements(role, connection.settings_dict["NAME"])
        except ValueError as exc:
            raise CommandError(_("Role and database names may hold only lower-case letters, digits and _.")) from exc
        if not apply:
            self.stdout.write("\n".join(sql))
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
        self.stdout.write(_("Granted %(n)s rights to %(role)s.") % {"n": len(sql), "role": role})
