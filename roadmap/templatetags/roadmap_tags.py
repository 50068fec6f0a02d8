from django import template

register = template.Library()


@register.filter
def lines(text: str) -> list[str]:
    """Admin-edited lists are stored one entry per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
