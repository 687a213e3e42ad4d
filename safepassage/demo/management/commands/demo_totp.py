from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import totp

from safepassage.accounts.models import SealedTOTPDevice


class Command(BaseCommand):
    help = "Demo mode only: print the current two-factor code of a demo user (stands in for a phone)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEMO_MODE:
            raise CommandError(_("Refused: only in demo mode."))
        device = SealedTOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(_("No such demo user with two-factor login."))
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
