"""A member's personal calendar address: created on first use, reset on demand.

Calendar apps cannot sign in, so the address carries a secret (`CalendarToken`): whoever
holds it reads the member's events and shifts. Resetting it makes the old address answer
404 at once, for a member who shared it by mistake.
"""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.events.models import CalendarToken

TOKEN_BYTES = 32  # 43 URL-safe characters


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _ensure_open_account(member: User) -> None:
    if not member.is_authenticated or not member.is_active or member.is_deleted:
        raise PermissionDenied(_("Sign in to use your calendar address."))


@transaction.atomic
def calendar_token_for(member: User) -> CalendarToken:
    """The member's calendar token, created the first time it is asked for. Two first
    visits at once both end with the same token."""
    _ensure_open_account(member)
    existing = CalendarToken.objects.filter(member=member).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarToken.objects.create(member=member, token=_new_token())
    except IntegrityError:
        return CalendarToken.objects.get(member=member)


@transaction.atomic
def reset_calendar_token(*, actor: User) -> CalendarToken:
    """Give the actor a new calendar address; the old one stops working."""
    _ensure_open_account(actor)
    token = CalendarToken.objects.select_for_update().filter(member=actor).first()
    if token is None:
        return calendar_token_for(actor)
    token.token = _new_token()
    token.created_at = timezone.now()
    token.save(update_fields=["token", "created_at"])
    return token
