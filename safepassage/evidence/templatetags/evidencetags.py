from django import template

from .. import dates

register = template.Library()


@register.filter
def when(record) -> str:
    """A record's date read with its precision: "2 April 2017", "spring 2017", "date unknown"."""
    return dates.describe(record.occurred_on, record.date_precision)


@register.filter
def megabytes(size) -> str:
    return f"{(size or 0) / (1024 * 1024):.1f}"


@register.filter
def lookup(mapping, key):
    return mapping.get(key, "") if mapping else ""
