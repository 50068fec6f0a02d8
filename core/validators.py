import re

from django.core.exceptions import ValidationError

# C0 and C1 control characters (line breaks and tabs among them) and the Unicode line and
# paragraph separators: nothing a name needs, and what turns a name into extra e-mail headers.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    if CONTROL_CHARACTERS.search(value or ""):
        raise ValidationError("Use one line of text: no line breaks, tabs or other control characters.", code="control")


def single_line(text: str) -> str:
    """Text as one line, for an e-mail header built from names a user chose."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
