"""What a member does with their own account.

Every function here takes the acting member first, checks permission before changing
anything and runs in one transaction: a refusal (``PermissionDenied`` or a
``DomainError``) leaves everything as it was.
"""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts import code_of_conduct, registry
from contrechamp.accounts.models import SPOKEN_LANGUAGES, Skill, User, Visibility
from contrechamp.core import places
from contrechamp.core.errors import Conflict, DomainError

EXPORT_FORMAT_VERSION = 1
DELETED_USERNAME_PREFIX = "former-member-"

_TEXT_FIELDS = (
    "display_name",
    "bio",
    "equipment",
    "favourite_films",
    "favourite_genres",
)


def _ensure_self(actor: User, member: User, message: str) -> None:
    if not actor.is_authenticated or actor.pk != member.pk:
        raise PermissionDenied(message)


def _locked(member: User) -> User:
    """The member's row, locked until the transaction ends; a deleted account is refused."""
    locked = User.objects.select_for_update().get(pk=member.pk)
    if locked.deleted_at is not None:
        raise Conflict(_("This account has been deleted."))
    return locked


def _check_text(field_name: str, value: str) -> None:
    """Refuse what the column cannot hold: text over its length, or NUL characters."""
    field = User._meta.get_field(field_name)
    label = getattr(field, "verbose_name", field_name)
    limit = getattr(field, "max_length", None)
    if limit is not None and len(value) > limit:
        raise DomainError(
            _("“%(field)s” is too long: at most %(limit)d characters.")
            % {"field": label, "limit": limit}
        )
    if "\x00" in value:
        raise DomainError(
            _("“%(field)s” contains a character that is not allowed.") % {"field": label}
        )


@transaction.atomic
def update_profile(
    *,
    actor: User,
    member: User,
    display_name: str | None = None,
    city: str | None = None,
    languages: Sequence[str] | None = None,
    bio: str | None = None,
    skills: Iterable[Skill] | None = None,
    equipment: str | None = None,
    favourite_films: str | None = None,
    favourite_genres: str | None = None,
    offers_mentoring: bool | None = None,
    seeks_mentoring: bool | None = None,
    visibility: Mapping[str, str] | None = None,
) -> User:
    """Change the given parts of a member's own profile; ``None`` leaves a part unchanged.

    Only the member themself may do it. ``city`` is a place name resolved through the
    offline gazetteer and stored with coordinates rounded to about a kilometre; an empty
    ``city`` clears the city and its coordinates. ``visibility`` maps field groups
    (``User.PRIVACY_FIELDS``) to ``Visibility`` values; groups not given keep theirs.
    Returns the updated member (a fresh instance).
    """
    _ensure_self(actor, member, _("You can only edit your own profile."))
    member = _locked(member)
    texts = {
        "display_name": display_name,
        "bio": bio,
        "equipment": equipment,
        "favourite_films": favourite_films,
        "favourite_genres": favourite_genres,
    }
    changed: list[str] = []
    for field_name, value in texts.items():
        if value is None:
            continue
        value = value.strip()
        _check_text(field_name, value)
        setattr(member, field_name, value)
        changed.append(field_name)

    if city is not None:
        name = city.strip()
        if not name:
            member.city_name, member.latitude, member.longitude = "", None, None
        else:
            place = places.find_city(name)
            if place is None:
                raise DomainError(_("We do not know the city “%(name)s”.") % {"name": name[:100]})
            member.city_name = place.name
            member.latitude, member.longitude = places.approximate(place.latitude, place.longitude)
        changed += ["city_name", "latitude", "longitude"]

    if languages is not None:
        known = {code for code, _name in SPOKEN_LANGUAGES}
        chosen = set(languages)
        if not chosen <= known:
            raise DomainError(_("One of the languages is not in the list."))
        # Stored in the list's order, without duplicates, whatever order they came in.
        member.languages = [code for code, _name in SPOKEN_LANGUAGES if code in chosen]
        changed.append("languages")

    for field_name, flag in (
        ("offers_mentoring", offers_mentoring),
        ("seeks_mentoring", seeks_mentoring),
    ):
        if flag is not None:
            setattr(member, field_name, bool(flag))
            changed.append(field_name)

    if visibility is not None:
        settings_by_group = dict(member.visibility) if isinstance(member.visibility, dict) else {}
        for group, level in visibility.items():
            if group not in User.PRIVACY_FIELDS or level not in Visibility.values:
                raise DomainError(_("This privacy setting does not exist."))
            settings_by_group[group] = str(level)
        member.visibility = settings_by_group
        changed.append("visibility")

    if changed:
        member.save(update_fields=changed)
    if skills is not None:
        member.skills.set(list(skills))
    return member


def ensure_code_of_conduct_accepted(member: User) -> None:
    """Refuse to let a member take part (join, create, post…) before they accept the current
    version of the site's code of conduct; the banner on every page links to it."""
    if code_of_conduct.must_accept(member):
        raise DomainError(
            _("Please read and accept the site's code of conduct first: the link is at the top.")
        )


@transaction.atomic
def accept_code_of_conduct(*, actor: User, member: User) -> User:
    """Record that a member accepts the current version of the site's code of conduct.

    Idempotent: accepting a version already accepted changes nothing (not even the time).
    """
    _ensure_self(actor, member, _("Only the member themself can accept the code of conduct."))
    member = _locked(member)
    if member.code_of_conduct_version >= code_of_conduct.CURRENT_VERSION:
        return member
    member.code_of_conduct_version = code_of_conduct.CURRENT_VERSION
    member.code_of_conduct_accepted_at = timezone.now()
    member.save(update_fields=["code_of_conduct_version", "code_of_conduct_accepted_at"])
    return member


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@transaction.atomic
def export_member_data(*, actor: User, member: User) -> dict[str, object]:
    """Everything Contrechamp holds about a member, as JSON-serialisable data (GDPR).

    Only the member themself may export it. Each app registered in ``registry`` adds its
    part under its own name; those parts may hold dates, which the caller serialises
    (``DjangoJSONEncoder``).
    """
    _ensure_self(actor, member, _("You can only export your own data."))
    member = User.objects.prefetch_related("skills").get(pk=member.pk)
    if member.deleted_at is not None:
        raise Conflict(_("This account has been deleted."))
    data: dict[str, object] = {
        "format": "contrechamp-member-export",
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": member.username,
            "display_name": member.display_name,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email,
            "date_joined": _iso(member.date_joined),
            "last_login": _iso(member.last_login),
            "city": {
                "name": member.city_name,
                "approximate_latitude": member.latitude,
                "approximate_longitude": member.longitude,
            },
            "languages": list(member.languages),
            "bio": member.bio,
            "equipment": member.equipment,
            "favourite_films": member.favourite_films,
            "favourite_genres": member.favourite_genres,
            "offers_mentoring": member.offers_mentoring,
            "seeks_mentoring": member.seeks_mentoring,
        },
        "skills": [
            {"slug": skill.slug, "name_fr": skill.name_fr, "name_en": skill.name_en}
            for skill in member.skills.all()
        ],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
        "two_factor": [
            {
                "type": authenticator.type,
                "created_at": _iso(authenticator.created_at),
                "last_used_at": _iso(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=member).order_by("pk")
        ],
        "privacy": {group: member.visibility_of(group) for group in User.PRIVACY_FIELDS},
        "code_of_conduct": {
            "version_accepted": member.code_of_conduct_version,
            "accepted_at": _iso(member.code_of_conduct_accepted_at),
            "current_version": code_of_conduct.CURRENT_VERSION,
        },
    }
    for contributor in registry.contributors():
        data[contributor.name] = contributor.export(member)
    return data


def _free_deleted_username(member: User) -> str:
    username = f"{DELETED_USERNAME_PREFIX}{member.pk}"
    # Sign-up refuses this prefix, but an admin could have created such a name by hand.
    while User.objects.filter(username=username).exclude(pk=member.pk).exists():
        username = f"{DELETED_USERNAME_PREFIX}{member.pk}-{secrets.token_hex(3)}"
    return username


@transaction.atomic
def delete_account(*, actor: User, member: User) -> User:
    """Delete a member's account: their personal data goes, their row stays anonymised.

    Only the member themself or a superuser may do it. Every registered app may refuse
    first (``check_deletion`` raising a ``DomainError``, e.g. the last admin of a
    network); then the profile is cleared, the username becomes ``former-member-<pk>``,
    sign-in becomes impossible (unusable password, inactive, no email address, no
    two-factor device, no session) and each app anonymises its own data. Content other
    members depend on (loans, messages…) keeps pointing at the row, shown as "Former
    member".
    """
    if not actor.is_authenticated or (actor.pk != member.pk and not actor.is_superuser):
        raise PermissionDenied(_("You can only delete your own account."))
    member = _locked(member)
    contributors = registry.contributors()
    for contributor in contributors:
        if contributor.check_deletion is not None:
            contributor.check_deletion(member)

    member.username = _free_deleted_username(member)
    for field_name in (
        "first_name",
        "last_name",
        "email",
        "city_name",
        *_TEXT_FIELDS,
    ):
        setattr(member, field_name, "")
    member.latitude = member.longitude = None
    member.languages = []
    member.visibility = {}
    member.offers_mentoring = member.seeks_mentoring = False
    member.code_of_conduct_version = 0
    member.code_of_conduct_accepted_at = None
    member.is_active = member.is_staff = member.is_superuser = False
    member.last_login = None
    member.set_unusable_password()
    member.deleted_at = timezone.now()
    member.save()
    member.skills.clear()
    member.groups.clear()
    member.user_permissions.clear()
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()

    for contributor in contributors:
        if contributor.anonymise is not None:
            contributor.anonymise(member)
    return member
