from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from safepassage.vault import datakeys, keystore
from safepassage.vault.errors import VaultError
from safepassage.vault.models import DataKey


class Command(BaseCommand):
    help = ("The keystore outside the database (docs/security.md). `keystore check` destroys what rotations "
            "left behind (an old bucket key after a crash) and checks that every live key can be opened; "
            "exits 1 naming the first problem. Run it daily.")

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["check"])

    def handle(self, *args, **options):
        datakeys.ensure_keystore()
        settled, live = 0, 0
        counts = dict(DataKey.objects.exclude(kek_wrapped=b"").values_list("bucket").annotate(n=Count("id")))
        for bucket in range(keystore.BUCKETS):
            try:
                with transaction.atomic():
                    datakeys.lock_bucket(bucket, exclusive=True)
                    generation = datakeys.bucket_generation(bucket)
                    stray = (DataKey.objects.filter(bucket=bucket).exclude(kek_wrapped=b"")
                             .exclude(generation=generation).count())
                    if stray:
                        raise VaultError(f"{stray} keys are not at their bucket's generation")
                    settled += keystore.settle(bucket, generation)
            except VaultError as exc:
                raise CommandError(_("Keystore bucket %(bucket)s: %(problem)s") % {"bucket": bucket,
                                                                                   "problem": exc}) from exc
            live += counts.get(bucket, 0)
        self.stdout.write(_("Keystore intact: %(live)s live keys in %(buckets)s buckets; %(settled)s old bucket "
                            "keys destroyed now.") % {"live": live, "buckets": keystore.BUCKETS, "settled": settled})
