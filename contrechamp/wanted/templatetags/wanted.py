from django import template

from contrechamp.films.models import Film
from contrechamp.wanted import queries

register = template.Library()


@register.simple_tag
def members_looking_for(film: Film) -> int:
    """How many members look for this film now (one query)."""
    return queries.looking_for(film)
