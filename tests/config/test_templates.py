"""The templates themselves: Django's one-line comment `{# ... #}` ends at its line, so one that
runs over two lines is not a comment but text on the page (as happened on the dashboard once)."""

import pathlib
import re

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"


def _broken_comments(text: str) -> list[str]:
    return [match.group(0)[:60] for match in re.finditer(r"\{#(?:(?!#\}).)*?\n", text, re.S)]


def test_no_template_has_a_one_line_comment_over_two_lines():
    broken = {
        str(path.relative_to(TEMPLATES)): found
        for path in TEMPLATES.rglob("*.html")
        if (found := _broken_comments(path.read_text()))
    }
    assert not broken, f"Use {{% comment %}} for comments over several lines: {broken}"


def test_the_check_catches_a_comment_over_two_lines():
    assert _broken_comments("{# one line #}<p>x</p>") == []
    assert _broken_comments("{# starts here\n and ends here #}")
