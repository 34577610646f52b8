from django import template
from django.utils.safestring import SafeString

from contrechamp.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def km(value: float | None) -> str:
    """A distance for people: "3 km", "< 1 km"."""
    if value is None:
        return ""
    if value < 1:
        return "< 1 km"
    return f"{round(value)} km"
