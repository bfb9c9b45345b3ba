from itertools import groupby

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

BULLETS = ("- ", "• ", "* ")


def _is_bullet(line: str) -> bool:
    return line.startswith(BULLETS)


@register.filter
def rich_text(value: str):
    """Plain text as the mandate writes it: blank lines part paragraphs, and lines starting with
    "- " make a bulleted list. Everything is escaped."""
    html = []
    for block in (value or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        for bullet, group in groupby(lines, key=_is_bullet):
            run = list(group)
            if bullet:
                items = format_html_join("", "<li>{}</li>", ((line[2:].strip(),) for line in run))
                html.append(format_html("<ul>{}</ul>", items))
            else:
                text = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in run))
                html.append(format_html("<p>{}</p>", text))
    return mark_safe("".join(html))


@register.filter
def attr_value(obj, name: str):
    """The value of a model field named in data (a mandate section's field)."""
    return getattr(obj, name, "")
