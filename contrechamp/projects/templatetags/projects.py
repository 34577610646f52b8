from django import template
from django.db.models import QuerySet

from contrechamp.accounts.models import User
from contrechamp.projects import queries
from contrechamp.projects.models import ShootingDay

register = template.Library()


@register.simple_tag
def call_sheets_of(member: User) -> QuerySet[ShootingDay]:
    """The coming call sheets of `member`, for pages of other apps that list their plans
    ("My events" lists them so that a phone keeps them for reading offline)."""
    return queries.my_call_sheets(member)
