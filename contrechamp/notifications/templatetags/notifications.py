from django import template
from django.template.context import Context

from contrechamp.accounts.models import User
from contrechamp.notifications import kinds, queries

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Context) -> int:
    """The signed-in member's unread count (one query; none when signed out)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    return queries.unread_count(user)


@register.filter
def kind_label(slug: str) -> str:
    """What a kind of notification is called; an unknown slug reads as nothing."""
    try:
        return str(kinds.get(slug).label)
    except KeyError:
        return ""
