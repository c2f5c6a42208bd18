"""The explanation of an institution kind for a page (akteure/erklaerungen.py)."""

from django import template

from akteure.erklaerungen import erklaerung_fuer

register = template.Library()


@register.simple_tag
def erklaerung_zu(einrichtungsart=None, themen=()):
    return erklaerung_fuer(einrichtungsart, themen or ())
