"""Who is asking: shared by every app's views."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, QueryDict

from contrechamp.accounts.models import User


def signed_in_member(request: HttpRequest) -> User:
    """The member behind a request that `login_required` already let through."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def posted_data(request: HttpRequest) -> QueryDict | None:
    """The submitted data to bind a form to, even when empty; None for a GET."""
    return request.POST if request.method == "POST" else None
