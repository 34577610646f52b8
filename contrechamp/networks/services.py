"""Everything a person does with a network: create it, join it, run it, hand it over.

Each function checks permission before changing anything and runs in one transaction.
Functions that can remove an admin (leaving, removing, revoking, handing over) lock the
network row first (`select_for_update`), so two concurrent requests cannot each remove
"the other" admin: a network is never left without one.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.core.places import Place, approximate, normalise
from contrechamp.networks.models import (
    ASSIGNABLE_ROLES,
    CharterAcceptance,
    CharterVersion,
    Membership,
    Network,
    Role,
    RoleAssignment,
    RoleHandover,
)
from contrechamp.networks.permissions import ensure_can_act, ensure_role, standing
from contrechamp.search.services import reindex_on_commit

# Paths under /networks/ that a network's slug must not shadow.
RESERVED_SLUGS = frozenset({"new"})
# A second "create" with the same name by the same person this soon is a double submission.
DOUBLE_SUBMISSION_WINDOW = timedelta(minutes=10)

NAME_MAX = Network._meta.get_field("name").max_length or 120
DESCRIPTION_MAX = 5000
MESSAGE_MAX = 1000
CHARTER_MAX = 20000
NOTES_MAX = 10000
WEBSITE_MAX = 200


def _lock(network: Network) -> Network:
    """The network row, fresh and locked until the transaction ends (serialises changes
    to its members, roles and charter)."""
    locked = Network.objects.select_for_update().filter(pk=network.pk).first()
    if locked is None:
        raise Conflict(_("This network no longer exists."))
    return locked


def _check_length(value: str, limit: int, label: str) -> str:
    if len(value) > limit:
        raise DomainError(
            _("%(label)s is too long (%(limit)d characters at most).")
            % {"label": label, "limit": limit}
        )
    return value


def _clean_name(name: str) -> tuple[str, str]:
    name = " ".join(name.split())
    _check_length(name, NAME_MAX, _("The name"))
    key = normalise(name)
    if not any(character.isalnum() for character in key):
        raise DomainError(_("Give the network a name with letters or digits."))
    # Normalising can lengthen a name ("ß" becomes "ss"): the key has a column too.
    _check_length(key, NAME_MAX, _("The name"))
    return name, key


def _location(*, place: Place | None, is_online: bool) -> tuple[str, float | None, float | None]:
    if is_online:
        return "", None, None
    if place is None:
        raise DomainError(_("Give the network's city, or mark it as online only."))
    latitude, longitude = approximate(place.latitude, place.longitude)
    return place.name, latitude, longitude


_website_validator = URLValidator(schemes=["http", "https"])


def _check_website(website: str) -> None:
    """Only web links: the address becomes a link on the public page."""
    if not website:
        return
    _check_length(website, WEBSITE_MAX, _("The website address"))
    try:
        _website_validator(website)
    except ValidationError as error:
        raise DomainError(_("Give the website as a full address (https://…).")) from error


def _check_choices(*, kind: str, join_policy: str) -> None:
    if kind not in Network.Kind.values:
        raise DomainError(_("Choose a type of network from the list."))
    if join_policy not in Network.JoinPolicy.values:
        raise DomainError(_("Choose how people join from the list."))


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120].strip("-") or "network"
    if base in RESERVED_SLUGS:
        base = f"{base}-network"
    taken = set(Network.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _record_acceptance(user: User, network: Network) -> CharterAcceptance | None:
    if network.current_charter_id is None:
        return None
    acceptance, _created = CharterAcceptance.objects.get_or_create(
        user=user, version_id=network.current_charter_id, defaults={"network": network}
    )
    return acceptance


def _admins_other_than(network: Network, user: User) -> int:
    """Current admins of the network besides `user`. Call while holding the network lock."""
    return (
        RoleAssignment.objects.filter(network=network, role=Role.ADMIN, ended_at__isnull=True)
        .exclude(user=user)
        .count()
    )


def _ensure_an_admin_remains(network: Network, losing: User, message: str) -> None:
    """Refuse (Conflict) if `losing` is an admin and no other admin would remain."""
    is_admin = RoleAssignment.objects.filter(
        network=network, user=losing, role=Role.ADMIN, ended_at__isnull=True
    ).exists()
    if is_admin and _admins_other_than(network, losing) == 0:
        raise Conflict(message)


def _end_all_roles(network: Network, user: User, *, ended_by: User | None) -> None:
    RoleAssignment.objects.filter(network=network, user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=ended_by
    )


def _start_role(network: Network, user: User, role: str, *, assigned_by: User) -> RoleAssignment:
    return RoleAssignment.objects.create(
        network=network, user=user, role=role, assigned_by=assigned_by
    )


def _publish(network: Network, *, actor: User, text: str) -> CharterVersion:
    latest = network.charter_versions.aggregate(latest=Max("number"))["latest"] or 0
    version = CharterVersion.objects.create(
        network=network, number=latest + 1, text=text, published_by=actor
    )
    network.current_charter = version
    network.save(update_fields=["current_charter"])
    return version


@transaction.atomic
def create_network(
    *,
    actor: User,
    name: str,
    kind: str,
    join_policy: str,
    place: Place | None = None,
    is_online: bool = False,
    description: str = "",
    website: str = "",
    charter: str = "",
) -> Network:
    """Create a network; its creator becomes a member, its admin and its organiser.

    A name already taken (ignoring case, accents and punctuation) is a Conflict, except when
    the same person submits the same name again within minutes: the network they just
    created is returned. A non-empty `charter` is published as version 1.
    """
    ensure_code_of_conduct_accepted(actor)
    name, key = _clean_name(name)
    _check_choices(kind=kind, join_policy=join_policy)
    _check_website(website)
    _check_length(description, DESCRIPTION_MAX, _("The description"))
    _check_length(charter.strip(), CHARTER_MAX, _("The charter"))
    city_name, latitude, longitude = _location(place=place, is_online=is_online)

    existing = Network.objects.filter(name_normalised=key).first()
    if existing is not None:
        if (
            existing.created_by_id == actor.pk
            and timezone.now() - existing.created_at < DOUBLE_SUBMISSION_WINDOW
        ):
            return existing
        raise Conflict(
            _("A network called “%(name)s” already exists. Choose another name.")
            % {"name": existing.name}
        )
    try:
        with transaction.atomic():
            network = Network.objects.create(
                name=name,
                name_normalised=key,
                slug=_unique_slug(name),
                kind=kind,
                description=description,
                city_name=city_name,
                latitude=latitude,
                longitude=longitude,
                is_online=is_online,
                website=website,
                join_policy=join_policy,
                created_by=actor,
            )
    except IntegrityError as error:
        # Another request took the name or the slug between our check and our insert.
        raise Conflict(
            _("A network called “%(name)s” already exists. Choose another name.") % {"name": name}
        ) from error
    Membership.objects.create(
        network=network, user=actor, status=Membership.Status.ACTIVE, joined_at=timezone.now()
    )
    _start_role(network, actor, Role.ADMIN, assigned_by=actor)
    _start_role(network, actor, Role.ORGANISER, assigned_by=actor)
    if charter.strip():
        _publish(network, actor=actor, text=charter.strip())
        _record_acceptance(actor, network)
    reindex_on_commit("networks", [network.pk])
    return network


@transaction.atomic
def update_network(
    *,
    actor: User,
    network: Network,
    name: str,
    kind: str,
    join_policy: str,
    place: Place | None = None,
    is_online: bool = False,
    description: str = "",
    website: str = "",
) -> Network:
    """Change a network's public details (admins only). The slug, its address, stays."""
    network = _lock(network)
    ensure_role(actor, network, {Role.ADMIN})
    name, key = _clean_name(name)
    _check_choices(kind=kind, join_policy=join_policy)
    _check_website(website)
    _check_length(description, DESCRIPTION_MAX, _("The description"))
    city_name, latitude, longitude = _location(place=place, is_online=is_online)
    clash = Network.objects.filter(name_normalised=key).exclude(pk=network.pk).first()
    if clash is not None:
        raise Conflict(
            _("A network called “%(name)s” already exists. Choose another name.")
            % {"name": clash.name}
        )
    network.name, network.name_normalised = name, key
    network.kind, network.join_policy = kind, join_policy
    network.description, network.website = description, website
    network.city_name, network.latitude, network.longitude = city_name, latitude, longitude
    network.is_online = is_online
    try:
        with transaction.atomic():
            network.save()
    except IntegrityError as error:
        raise Conflict(
            _("A network called “%(name)s” already exists. Choose another name.") % {"name": name}
        ) from error
    reindex_on_commit("networks", [network.pk])
    return network


@transaction.atomic
def join_network(
    *, actor: User, network: Network, accept_charter: bool, message: str = ""
) -> Membership:
    """Join (open policy), ask to join (on request) or accept an invitation.

    When the network has a charter, `accept_charter` must be true. Joining again returns
    the existing membership: no duplicate, no error. An invitation-only network refuses
    anyone it did not invite (PermissionDenied).
    """
    ensure_code_of_conduct_accepted(actor)
    network = _lock(network)
    _check_length(message, MESSAGE_MAX, _("The message"))
    existing = Membership.objects.select_for_update().filter(network=network, user=actor).first()
    if existing is not None:
        if existing.status == Membership.Status.INVITED:
            return accept_invitation(actor=actor, network=network, accept_charter=accept_charter)
        if accept_charter:
            _record_acceptance(actor, network)
        return existing
    if network.join_policy == Network.JoinPolicy.INVITATION:
        raise PermissionDenied(_("This network welcomes new members by invitation only."))
    if network.current_charter_id is not None and not accept_charter:
        raise DomainError(_("Accept the network's charter to join it."))
    if network.join_policy == Network.JoinPolicy.OPEN:
        defaults = {"status": Membership.Status.ACTIVE, "joined_at": timezone.now()}
    else:
        defaults = {"status": Membership.Status.PENDING, "request_message": message.strip()}
    membership, _created = Membership.objects.get_or_create(
        network=network, user=actor, defaults=defaults
    )
    _record_acceptance(actor, network)
    return membership


def _locked_membership(membership: Membership) -> Membership | None:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("network", "user")
        .filter(pk=membership.pk)
        .first()
    )


@transaction.atomic
def approve_request(*, actor: User, membership: Membership) -> Membership:
    """An organiser, moderator or admin lets a pending request in. Approving twice is fine."""
    ensure_role(actor, membership.network, {Role.ADMIN, Role.MODERATOR, Role.ORGANISER})
    locked = _locked_membership(membership)
    if locked is None:
        raise Conflict(_("This request was withdrawn or declined meanwhile."))
    if locked.status == Membership.Status.ACTIVE:
        return locked
    if locked.status != Membership.Status.PENDING:
        raise InvalidTransition(_("This person was invited and has not answered yet."))
    locked.status = Membership.Status.ACTIVE
    locked.joined_at = timezone.now()
    locked.save(update_fields=["status", "joined_at"])
    return locked


@transaction.atomic
def decline_request(*, actor: User, membership: Membership) -> None:
    """Turn a pending request down (the request is deleted). Declining twice is fine."""
    ensure_role(actor, membership.network, {Role.ADMIN, Role.MODERATOR, Role.ORGANISER})
    locked = _locked_membership(membership)
    if locked is None:
        return
    if locked.status == Membership.Status.ACTIVE:
        raise InvalidTransition(_("This request was already approved."))
    if locked.status == Membership.Status.PENDING:
        locked.delete()


@transaction.atomic
def invite_member(*, actor: User, network: Network, invitee: User) -> Membership:
    """An organiser, moderator or admin invites someone; a pending request is approved.

    Inviting twice returns the same invitation; inviting a member is a Conflict.
    """
    ensure_role(actor, network, {Role.ADMIN, Role.MODERATOR, Role.ORGANISER})
    if not invitee.is_active or invitee.deleted_at is not None:
        raise Conflict(_("This account is closed."))
    existing = Membership.objects.select_for_update().filter(network=network, user=invitee).first()
    if existing is not None:
        if existing.status == Membership.Status.ACTIVE:
            raise Conflict(_("%(name)s is already a member.") % {"name": invitee.public_name})
        if existing.status == Membership.Status.PENDING:
            return approve_request(actor=actor, membership=existing)
        return existing
    membership, _created = Membership.objects.get_or_create(
        network=network,
        user=invitee,
        defaults={"status": Membership.Status.INVITED, "invited_by": actor},
    )
    return membership


@transaction.atomic
def accept_invitation(*, actor: User, network: Network, accept_charter: bool) -> Membership:
    """The invited person becomes a member, accepting the charter if there is one."""
    network = _lock(network)
    membership = Membership.objects.select_for_update().filter(network=network, user=actor).first()
    if membership is None:
        raise PermissionDenied(_("You have not been invited to this network."))
    if membership.status == Membership.Status.ACTIVE:
        if accept_charter:
            _record_acceptance(actor, network)
        return membership
    if membership.status != Membership.Status.INVITED:
        raise InvalidTransition(_("Your request is waiting for an organiser's answer."))
    if network.current_charter_id is not None and not accept_charter:
        raise DomainError(_("Accept the network's charter to join it."))
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.save(update_fields=["status", "joined_at"])
    _record_acceptance(actor, network)
    return membership


@transaction.atomic
def leave_network(*, actor: User, network: Network) -> None:
    """Leave (or withdraw a request, or decline an invitation). Roles held end; their
    history stays. The last admin cannot leave before handing the role over."""
    network = _lock(network)
    membership = Membership.objects.filter(network=network, user=actor).first()
    if membership is None:
        return
    _ensure_an_admin_remains(
        network,
        actor,
        _("You are the last admin of this network: hand over your admin role first."),
    )
    _end_all_roles(network, actor, ended_by=actor)
    membership.delete()


@transaction.atomic
def remove_member(*, actor: User, network: Network, member: User) -> None:
    """An admin or moderator removes someone; only an admin may remove an admin.
    Removing someone already gone does nothing."""
    network = _lock(network)
    if member.pk == actor.pk:
        leave_network(actor=actor, network=network)
        return
    mine = ensure_role(actor, network, {Role.ADMIN, Role.MODERATOR})
    theirs = standing(member, network)
    if theirs.membership is None:
        return
    if theirs.roles & {Role.ADMIN, Role.MODERATOR} and Role.ADMIN not in mine.roles:
        raise PermissionDenied(_("Only an admin can remove an admin or a moderator."))
    _ensure_an_admin_remains(
        network, member, _("This is the last admin of the network: it cannot lose them.")
    )
    _end_all_roles(network, member, ended_by=actor)
    theirs.membership.delete()


@transaction.atomic
def publish_charter(*, actor: User, network: Network, text: str) -> CharterVersion:
    """Publish a new charter version (admins only); every member must accept it again.

    Publishing the current text again returns the current version (double submission).
    The admin who publishes accepts the new version.
    """
    network = _lock(network)
    ensure_role(actor, network, {Role.ADMIN})
    text = text.strip()
    if not text:
        raise DomainError(_("The charter cannot be empty."))
    _check_length(text, CHARTER_MAX, _("The charter"))
    current = network.current_charter
    if current is not None and current.text == text:
        return current
    version = _publish(network, actor=actor, text=text)
    _record_acceptance(actor, network)
    return version


@transaction.atomic
def accept_charter(*, actor: User, network: Network) -> CharterAcceptance:
    """Accept the network's current charter. Accepting twice keeps one acceptance."""
    network = _lock(network)
    if network.current_charter_id is None:
        raise DomainError(_("This network has no charter to accept."))
    if not Membership.objects.filter(network=network, user=actor).exists():
        raise PermissionDenied(_("Join the network to accept its charter."))
    acceptance = _record_acceptance(actor, network)
    if acceptance is None:  # unreachable: the network has a current charter
        raise DomainError(_("This network has no charter to accept."))
    return acceptance


def _check_assignable(role: str) -> None:
    if role not in ASSIGNABLE_ROLES:
        raise DomainError(_("Choose a role from the list."))


def _ensure_active_member(network: Network, user: User) -> None:
    if not Membership.objects.filter(
        network=network, user=user, status=Membership.Status.ACTIVE
    ).exists():
        raise Conflict(_("%(name)s is not a member of this network.") % {"name": user.public_name})


@transaction.atomic
def assign_role(*, actor: User, network: Network, member: User, role: str) -> RoleAssignment:
    """An admin gives an active member a role. Giving it twice returns the current one."""
    network = _lock(network)
    ensure_role(actor, network, {Role.ADMIN})
    _check_assignable(role)
    _ensure_active_member(network, member)
    current = RoleAssignment.objects.filter(
        network=network, user=member, role=role, ended_at__isnull=True
    ).first()
    if current is not None:
        return current
    return _start_role(network, member, role, assigned_by=actor)


@transaction.atomic
def revoke_role(*, actor: User, network: Network, member: User, role: str) -> None:
    """An admin ends someone's role, or a holder steps down from their own. The history
    row stays. Refused when it would leave the network without an admin."""
    network = _lock(network)
    if member.pk == actor.pk:
        ensure_can_act(actor, network)
    else:
        ensure_role(actor, network, {Role.ADMIN})
    _check_assignable(role)
    current = RoleAssignment.objects.filter(
        network=network, user=member, role=role, ended_at__isnull=True
    ).first()
    if current is None:
        return
    if role == Role.ADMIN and _admins_other_than(network, member) == 0:
        raise Conflict(_("This is the last admin of the network: make someone else admin first."))
    current.ended_at = timezone.now()
    current.ended_by = actor
    current.save(update_fields=["ended_at", "ended_by"])


@transaction.atomic
def hand_over_role(
    *,
    actor: User,
    network: Network,
    role: str,
    from_member: User,
    to_member: User,
    notes: str,
) -> RoleHandover:
    """Pass a role from its holder to a successor, with handover notes (Markdown).

    Allowed to an admin, or to the holder handing over their own role. The successor must
    be an active member who does not hold the role yet. The holder's assignment ends and
    the successor's starts at the same instant; both stay in the history. Submitting the
    same handover again returns the one already recorded.
    """
    network = _lock(network)
    mine = ensure_can_act(actor, network)
    outgoing = RoleAssignment.objects.filter(
        network=network, user=from_member, role=role, ended_at__isnull=True
    ).first()
    if outgoing is None:
        already = (
            RoleHandover.objects.filter(
                network=network,
                role=role,
                handed_over_by=actor,
                ended_assignment__user=from_member,
                started_assignment__user=to_member,
                started_assignment__ended_at__isnull=True,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if already is not None:
            return already
    if not (mine.is_admin or (actor.pk == from_member.pk and role in mine.roles)):
        raise PermissionDenied(_("Only an admin or the person holding the role can hand it over."))
    _check_assignable(role)
    notes = notes.strip()
    if not notes:
        raise DomainError(_("Write a few handover notes for your successor."))
    _check_length(notes, NOTES_MAX, _("The handover notes"))
    if from_member.pk == to_member.pk:
        raise DomainError(_("Choose someone else as successor."))
    if outgoing is None:
        raise Conflict(_("%(name)s does not hold this role.") % {"name": from_member.public_name})
    _ensure_active_member(network, to_member)
    if RoleAssignment.objects.filter(
        network=network, user=to_member, role=role, ended_at__isnull=True
    ).exists():
        raise Conflict(_("%(name)s already holds this role.") % {"name": to_member.public_name})
    now = timezone.now()
    outgoing.ended_at = now
    outgoing.ended_by = actor
    outgoing.save(update_fields=["ended_at", "ended_by"])
    incoming = RoleAssignment.objects.create(
        network=network, user=to_member, role=role, started_at=now, assigned_by=actor
    )
    return RoleHandover.objects.create(
        network=network,
        role=role,
        ended_assignment=outgoing,
        started_assignment=incoming,
        notes=notes,
        handed_over_by=actor,
        created_at=now,
    )
