"""What the other apps contribute to a member's data export, account deletion and privacy.

accounts sits below every other app, so it cannot import them; instead each app registers
its part in its ``AppConfig.ready()``:

    registry.register(MemberDataContributor(
        name="networks",
        export=export_member_networks,          # User -> JSON-serialisable data
        check_deletion=ensure_not_last_admin,   # User -> None, raises DomainError to refuse
        anonymise=leave_all_networks,           # User -> None, inside the deletion transaction
    ))
    registry.register_circle(share_a_network)   # (viewer, member) -> bool

Registration is explicit and ordered by app loading; no signals.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contrechamp.accounts.models import User


@dataclass(frozen=True)
class MemberDataContributor:
    name: str
    export: Callable[["User"], object]
    check_deletion: Callable[["User"], None] | None = None
    anonymise: Callable[["User"], None] | None = None


_contributors: dict[str, MemberDataContributor] = {}
_circles: list[Callable[["User", "User"], bool]] = []

# Keys the accounts app writes itself at the top of a data export.
RESERVED_NAMES = frozenset(
    {
        "format",
        "format_version",
        "exported_at",
        "profile",
        "skills",
        "email_addresses",
        "two_factor",
        "privacy",
        "code_of_conduct",
    }
)


def register(contributor: MemberDataContributor) -> None:
    """Add (or replace, by name) an app's contribution; its name keys its part of the export."""
    if contributor.name in RESERVED_NAMES:
        raise ValueError(f"{contributor.name!r} is a reserved export key; choose another name.")
    _contributors[contributor.name] = contributor


def contributors() -> list[MemberDataContributor]:
    return list(_contributors.values())


def register_circle(in_same_circle: Callable[["User", "User"], bool]) -> None:
    """A test of closeness for the "members of my networks" privacy level."""
    if in_same_circle not in _circles:
        _circles.append(in_same_circle)


def in_same_circle(viewer: "User", member: "User") -> bool:
    return any(test(viewer, member) for test in _circles)
