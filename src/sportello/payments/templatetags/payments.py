from django import template

from sportello.core import identifiers
from sportello.payments import iuv

register = template.Library()


@register.filter
def euro(cents):
    """Cents as Italian euro text: 2221 -> "22,21"."""
    return "" if cents is None else iuv.format_euro(int(cents))


@register.filter
def notice_grouped(number):
    return identifiers.notice_number_grouped(number or "")
