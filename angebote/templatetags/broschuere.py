"""Filters of the brochure templates (angebote/broschuere.py): text in its own writing
direction, with an inline box only where one is needed."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html

from atlas.broschuere import isoliert, richtung

register = template.Library()


@register.filter
def eigene_richtung(text, rtl):
    """`text` isolated in its own direction where it differs from the page's (`rtl`): a
    German provider name in an Arabic page, an Arabic one in a German page."""
    return isoliert(text, rtl=rtl)


@register.filter
def links_nach_rechts(text, rtl):
    """Phone numbers, e-mail and web addresses: left to right, also in a right-to-left page
    (their digit groups would otherwise be laid out from right to left)."""
    return isoliert(text, rtl=rtl, fest="ltr")


@register.filter
def im_text(text, rtl):
    """A translatable text (atlas.uebersetzung): in a span with lang="de" where German stands
    in for a missing translation (the stylesheet runs it left to right in a right-to-left
    page), else as it is, in its own direction; line breaks kept."""
    if text.attribute:
        return format_html("<span{}>{}</span>", text.attribute, linebreaksbr(text.text))
    zeilen = linebreaksbr(text.text)
    eigene = richtung(text.text)
    if eigene is None or (eigene == "rtl") == bool(rtl):
        return zeilen
    return format_html('<span dir="{}">{}</span>', eigene, zeilen)
