import re

from django.core.validators import RegexValidator

# C0 and C1 control characters (line breaks and tabs among them) and the Unicode line and
# paragraph separators: nothing a name needs, and what turns a name into extra e-mail headers.
CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"

# A regex, not a function: the OpenAPI schema shows it as the field's pattern.
validate_single_line = RegexValidator(
    rf"^[^{CONTROL_CHARACTERS}]*\Z",
    "Use one line of text: no line breaks, tabs or other control characters.",
    code="control",
)


def single_line(text: str) -> str:
    """Text as one line, for an e-mail header built from names a user chose."""
    return " ".join(re.sub(f"[{CONTROL_CHARACTERS}]", " ", text).split())
