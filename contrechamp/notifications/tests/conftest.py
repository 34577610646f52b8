"""Kinds made for the tests, one per way of delivering, registered for the test only."""

from collections.abc import Callable

import pytest
from django.utils.translation import gettext_lazy as _

from contrechamp.accounts.models import User
from contrechamp.notifications import kinds
from contrechamp.notifications.kinds import Delivery, Kind
from contrechamp.notifications.models import Notification

AT_ONCE = "tests.at_once"
DAILY = "tests.daily"
QUIET = "tests.quiet"


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in (
        Kind(slug=AT_ONCE, label=_("A loan request"), default_delivery=Delivery.IMMEDIATE),
        Kind(slug=DAILY, label=_("A reply"), default_delivery=Delivery.DIGEST),
        Kind(slug=QUIET, label=_("A thank-you"), default_delivery=Delivery.OFF),
    ):
        monkeypatch.setitem(kinds._kinds, kind.slug, kind)


MakeNotification = Callable[..., Notification]


@pytest.fixture
def make_notification(other_member: User) -> MakeNotification:
    """Notifications made the way apps make them, through `notify()` (actor: Nora)."""
    from contrechamp.notifications.services import notify

    def make(recipient: User, kind: str = QUIET, **kwargs: object) -> Notification:
        kwargs.setdefault("title", "Nora asks to borrow your DVD")
        kwargs.setdefault("actor", other_member)
        notification = notify(recipient=recipient, kind=kind, **kwargs)  # type: ignore[arg-type]
        assert notification is not None
        return notification

    return make
