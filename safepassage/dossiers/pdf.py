"""HTML templates to PDF with WeasyPrint. Fonts are Debian's DejaVu (Latin with French accents,
and Cyrillic); nothing is fetched: every URL a template might contain is refused, and the styles
are inside the template. The same template and context give the same bytes (WeasyPrint writes
no date of its own), so a dossier can be made again and compared."""

from django.template.loader import render_to_string
from django.utils import translation


def _fetcher():
    from weasyprint.urls import URLFetcher

    class Refuse(URLFetcher):
        """A dossier fetches nothing: not a font, not an image, not a file on the server."""

        def fetch(self, url, headers=None):
            raise ValueError("a dossier fetches nothing")

    return Refuse(allowed_protocols=())


def render(template: str, context: dict, *, language: str = "fr") -> tuple[bytes, int]:
    """(the PDF, its number of pages)."""
    from weasyprint import HTML  # imported here: pango is loaded only when a dossier is made

    with translation.override(language):
        html = render_to_string(template, context)
    document = HTML(string=html, url_fetcher=_fetcher()).render()
    return document.write_pdf(), len(document.pages)
