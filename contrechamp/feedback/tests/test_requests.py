"""Feedback requests: whom the team may invite, what the invitation opens, who is told."""

import pytest
from django.core.exceptions import PermissionDenied

from contrechamp.accounts.models import User
from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import DomainError
from contrechamp.feedback import permissions, services
from contrechamp.feedback.models import Cut, Reviewer, ScreenplayVersion
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Membership, Network
from contrechamp.notifications.models import Notification
from contrechamp.projects.models import Project


def test_invited_members_are_told_and_may_review(
    version_1: ScreenplayVersion, owner: User, member: User, outsider: User
) -> None:
    request = services.request_feedback(
        actor=owner,
        project=version_1.project,
        version=version_1,
        usernames=["@Juliette"],
        message="Le rythme ?",
    )
    assert list(request.reviewers.values_list("member__username", flat=True)) == ["juliette"]
    note = Notification.objects.get(kind="feedback.request")
    assert note.recipient == member and note.url == request.get_absolute_url()
    assert permissions.can_review_screenplay(member, version_1.project)
    assert not permissions.can_review_screenplay(outsider, version_1.project)


def test_unknown_names_are_refused_and_nothing_is_sent(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    with pytest.raises(DomainError, match="no member named personne"):
        services.request_feedback(
            actor=owner,
            project=version_1.project,
            version=version_1,
            usernames=["juliette", "personne"],
        )
    assert not Reviewer.objects.exists() and not Notification.objects.exists()


def test_the_team_cannot_be_its_own_reviewer(version_1: ScreenplayVersion, owner: User) -> None:
    with pytest.raises(DomainError, match="outside the team"):
        services.request_feedback(
            actor=owner, project=version_1.project, version=version_1, usernames=["nora"]
        )


def test_only_the_team_asks(version_1: ScreenplayVersion, member: User, outsider: User) -> None:
    with pytest.raises(PermissionDenied):
        services.request_feedback(
            actor=member, project=version_1.project, version=version_1, usernames=["outsider"]
        )


def test_a_request_is_about_exactly_one_thing_of_this_project(
    version_1: ScreenplayVersion, cut: Cut, owner: User, member: User
) -> None:
    project = version_1.project
    with pytest.raises(DomainError, match="Choose a screenplay version or a cut"):
        services.request_feedback(actor=owner, project=project, usernames=["juliette"])
    with pytest.raises(DomainError, match="Choose a screenplay version or a cut"):
        services.request_feedback(
            actor=owner, project=project, version=version_1, cut=cut, usernames=["juliette"]
        )
    other = services.add_screenplay_version(
        actor=member, project=_own_project(member), source="INT. B\n"
    )
    with pytest.raises(DomainError, match="not part of this project"):
        services.request_feedback(
            actor=owner, project=project, version=other, usernames=["juliette"]
        )


def _own_project(member: User) -> Project:
    from contrechamp.projects import services as project_services

    return project_services.create_project(
        actor=member, details=project_services.ProjectDetails(title="Autre film", kind="short_film")
    )


def test_every_active_member_of_one_of_my_networks_can_be_invited(
    version_1: ScreenplayVersion, owner: User, member: User
) -> None:
    network = _network(owner, "Ciné-club du Panier")
    pending = UserFactory.create(username="candidate")
    Membership.objects.create(
        network=network, user=member, status="active", joined_at=network.created_at
    )
    Membership.objects.create(network=network, user=pending, status="pending")
    request = services.request_feedback(
        actor=owner, project=version_1.project, version=version_1, network=network
    )
    assert list(request.reviewers.values_list("member__username", flat=True)) == ["juliette"]
    stranger_network = _network(UserFactory.create(username="ailleurs"), "Ciné-club de Lille")
    with pytest.raises(DomainError, match="network you belong to"):
        services.request_feedback(
            actor=owner, project=version_1.project, version=version_1, network=stranger_network
        )


def _network(admin: User, name: str) -> Network:
    return network_services.create_network(
        actor=admin,
        name=name,
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        is_online=True,
    )


def test_too_many_names_at_once_are_refused(version_1: ScreenplayVersion, owner: User) -> None:
    with pytest.raises(DomainError, match="at most 50"):
        services.request_feedback(
            actor=owner,
            project=version_1.project,
            version=version_1,
            usernames=[f"m{i}" for i in range(51)],
        )
