"""Icons from Heroicons (the `heroicons` package, pinned), inline as SVG: no font, no request.

{% icon "check" %} is decoration (hidden from assistive technology, next to a text that says the
same); {% icon "check" label="Verified" %} carries meaning on its own and is named."""

from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from heroicons import _render_icon

register = template.Library()

SIZES = {"micro": 16, "mini": 20, "outline": 24, "solid": 24}


@lru_cache(maxsize=512)
def _svg(name: str, style: str, label: str, css: str) -> SafeString:
    attrs: dict[str, object] = {"class": f"icon {css}".strip(), "focusable": "false"}
    if label:  # the set's files say aria-hidden="true"; a named icon must be heard
        attrs.update(role="img", aria_label=label, aria_hidden="false")
    return mark_safe(_render_icon(style, name, SIZES[style], attrs))


@register.simple_tag
def icon(name: str, label: str = "", style: str = "mini", css: str = "") -> SafeString:
    return _svg(name, style, str(label), css)


# Names keep their capitals when a label goes to sentence case.
PROPER = {"Google", "GitHub", "Email", "Django", "I"}


@register.filter
def sentence_case(text) -> str:
    """ "Remember Me" → "Remember me": the house style for labels, buttons and headings that
    come from a library in title case. Text with markup is left as it is."""
    text = str(text).strip()
    if not text or "<" in text:
        return text
    words = text.split()
    rest = [w if w in PROPER or not w.istitle() else w.lower() for w in words[1:]]
    return " ".join([words[0][:1].upper() + words[0][1:], *rest])
