from collections.abc import Mapping

from django import template

from contrechamp.accounts.models import User
from contrechamp.accounts.reputation import Reputation, reputation_of

register = template.Library()


@register.filter
def reputation_in(reputations: Mapping[int, Reputation], member_id: int) -> Reputation:
    """The member's reputation from a batch read by the view (`queries.reputations`)."""
    return reputations.get(member_id) or Reputation()


@register.simple_tag
def member_reputation(member: User) -> Reputation:
    """One member's reputation, for their profile: one query per source."""
    return reputation_of([member.pk])[member.pk]
