"""The kinds of notification, registered by each app in its ``AppConfig.ready()``:

    kinds.register(Kind(
        slug="lending.loan_requested",
        label=_("Someone asks to borrow one of your items"),
        default_delivery=Delivery.IMMEDIATE,
    ))

A member chooses, per kind, how they hear about it: by email at once, in a daily digest,
or only in the app. The slug is stable (it is stored); the label is what people read.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("By email, at once")
    DIGEST = "digest", _("In a daily email digest")
    OFF = "off", _("Only here, no email")


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str | Promise
    default_delivery: Delivery = Delivery.DIGEST


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.slug] = kind


def get(slug: str) -> Kind:
    """The registered kind; an unknown slug is a programming error (KeyError)."""
    return _kinds[slug]


def all_kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.slug)
