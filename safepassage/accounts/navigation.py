"""The staff site's main menu, as a registry: each app adds its entries in its AppConfig.ready,
with who may see them, so accounts (which draws the menu) knows nothing of the apps above it.
The menu only hides; every view still asks the access policy."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    order: int
    label: object  # a lazy translation
    url_name: str
    allowed: object  # fn(user) -> bool


_ENTRIES: dict[str, Entry] = {}


def register(url_name: str, label, order: int, allowed=lambda user: True) -> None:
    """Add (or replace) the menu entry that leads to `url_name`."""
    _ENTRIES[url_name] = Entry(order, label, url_name, allowed)


def menu(user) -> list[dict]:
    entries = sorted(_ENTRIES.values(), key=lambda e: e.order)
    return [{"label": e.label, "url": reverse(e.url_name)} for e in entries if e.allowed(user)]
