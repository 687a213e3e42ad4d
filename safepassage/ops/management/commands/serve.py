from django.conf import settings
from django.core.management.base import BaseCommand
from waitress import serve

from safepassage.wsgi import application


class Command(BaseCommand):
    help = "Serve the application with waitress (put a TLS reverse proxy or a Tor onion service in front)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        site = "public site only" if settings.ROOT_URLCONF == "safepassage.public.site_urls" else "staff at /staff/"
        self.stdout.write(f"safepassage ({settings.MODE}, {site}) on http://{host}:{port}/")
        # Generous limits: uploads over Tor are slow (see docs/operators.md).
        serve(application, host=host, port=port, threads=threads, channel_timeout=300,
              max_request_body_size=64 * 1024 * 1024, ident="safepassage")
