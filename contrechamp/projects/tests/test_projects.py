import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.core import places
from contrechamp.core.errors import DomainError
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network
from contrechamp.projects import permissions, services
from contrechamp.projects.models import Project, TeamMember
from contrechamp.projects.tests.conftest import make_project, post_call

pytestmark = pytest.mark.django_db


def make_network(admin, name):
    with zeal_ignore():
        return network_services.create_network(
            actor=admin,
            name=name,
            kind=Network.Kind.CINE_CLUB,
            join_policy=Network.JoinPolicy.OPEN,
            place=places.find_city("Marseille"),
        )


def test_the_owner_joins_the_team_as_a_manager(project, other_member):
    row = TeamMember.objects.get(project=project)
    assert row.member == other_member
    assert row.is_manager
    assert project.slug == "la-calanque"
    assert project.city_name == "Marseille"
    assert project.latitude is not None


def test_a_second_project_with_the_same_title_gets_another_address(project, member):
    second = make_project(member)
    assert second.slug != project.slug
    assert second.slug.startswith("la-calanque-")


def test_an_unknown_city_is_refused_and_nothing_is_created(member):
    with pytest.raises(DomainError, match="Atlantide"):
        services.create_project(
            actor=member,
            details=services.ProjectDetails(title="Film", kind="short_film", city="Atlantide"),
        )
    assert not Project.objects.exists()


def test_ends_before_it_starts_is_refused(member):
    from contrechamp.projects.tests.conftest import in_days

    with pytest.raises(DomainError):
        make_project(member, starts_on=in_days(10), ends_on=in_days(5))


def test_only_a_manager_edits_the_project(project, member):
    details = services.ProjectDetails(title="Autre titre", kind="documentary")
    with pytest.raises(PermissionDenied):
        services.update_project(actor=member, project=project, details=details)
    project.refresh_from_db()
    assert project.title == "La Calanque"


def test_a_team_manager_may_edit_the_project(project, other_member, member):
    services.add_team_member(actor=other_member, project=project, member=member, is_manager=True)
    details = services.ProjectDetails(title="La Calanque (v2)", kind="short_film")
    services.update_project(actor=member, project=project, details=details)
    project.refresh_from_db()
    assert project.title == "La Calanque (v2)"
    assert project.slug == "la-calanque"


def test_a_team_only_project_is_hidden_from_others(other_member, member, outsider, client):
    secret = make_project(other_member, visibility=Project.Visibility.TEAM)
    assert not permissions.can_view(outsider, secret)
    assert not Project.objects.filter(permissions.visible_projects(outsider)).exists()
    client.force_login(outsider)
    assert client.get(secret.get_absolute_url()).status_code == 404
    services.add_team_member(actor=other_member, project=secret, member=member)
    assert permissions.can_view(member, secret)


def test_a_network_project_is_seen_by_the_network_s_active_members(
    other_member, member, outsider, client
):
    network = make_network(other_member, "Ciné-club du Panier")
    network_services.join_network(actor=member, network=network, accept_charter=True)
    shared = make_project(other_member, visibility=Project.Visibility.NETWORK, network=network)
    assert permissions.can_view(member, shared)
    assert not permissions.can_view(outsider, shared)
    assert not permissions.can_view(None, shared)
    visible = Project.objects.filter(permissions.visible_projects(member))
    assert list(visible) == [shared]


def test_network_visibility_needs_one_of_the_owner_s_networks(other_member, member):
    network = make_network(member, "Autre réseau")
    with pytest.raises(DomainError, match="your networks"):
        make_project(other_member, visibility=Project.Visibility.NETWORK, network=network)


def test_the_owner_stays_on_the_team(project, other_member):
    row = TeamMember.objects.get(project=project, member=other_member)
    with pytest.raises(DomainError):
        services.remove_team_member(actor=other_member, row=row)


def test_adding_someone_twice_is_refused(project, other_member, member):
    services.add_team_member(actor=other_member, project=project, member=member, role="Perche")
    with pytest.raises(DomainError, match="already on the team"):
        services.add_team_member(actor=other_member, project=project, member=member)


def test_a_member_can_leave_a_team(project, other_member, member):
    row = services.add_team_member(actor=other_member, project=project, member=member)
    services.remove_team_member(actor=member, row=row)
    assert not permissions.is_team_member(member, project)


def test_the_list_page_keeps_its_query_count(client, other_member, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_project(other_member, title="Premier")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("projects:list")).status_code == 200
    for number in range(6):
        project = make_project(other_member, title=f"Projet {number}")
        post_call(project)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("projects:list"), {"near": "Marseille", "km": "20"})
    assert response.status_code == 200
    assert "Projet 3" in response.content.decode()
    assert len(many) <= len(few) + 1


def test_the_project_page_keeps_its_query_count(client, project, other_member, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(other_member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(project.get_absolute_url()).status_code == 200
    for number in range(5):
        post_call(project, title=f"Rôle {number}")
    services.add_team_member(actor=other_member, project=project, member=member, role="Son")
    services.add_task(actor=other_member, project=project, title="Repérages", assignee=member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert "Rôle 4" in response.content.decode()
    assert len(many) == len(few)


def test_creating_through_the_page_keeps_what_was_typed_on_error(client, member):
    client.force_login(member)
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Mon film",
            "kind": "short_film",
            "city": "Atlantide",
            "status": "development",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Mon film" in response.content.decode()
    assert not Project.objects.exists()


def test_creating_through_the_page(client, member):
    client.force_login(member)
    response = client.post(
        reverse("projects:create"),
        {
            "title": "Mon film",
            "kind": "documentary",
            "city": "Lyon",
            "status": "development",
            "visibility": "public",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert permissions.can_manage(member, project)


def test_an_outsider_cannot_open_the_edit_page(client, project, outsider):
    client.force_login(outsider)
    assert client.get(reverse("projects:edit", args=[project.slug])).status_code == 403


def test_the_owner_changes_a_role_through_the_team_page(client, project, other_member, member):
    row = services.add_team_member(actor=other_member, project=project, member=member)
    client.force_login(other_member)
    assert client.get(reverse("projects:team", args=[project.slug])).status_code == 200
    response = client.post(
        reverse("projects:team_update", args=[project.slug, row.pk]),
        {"role": "Perchwoman", "is_manager": "1"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.role == "Perchwoman"
    assert row.is_manager


def test_the_owner_stays_a_manager_whatever_is_asked(project, other_member):
    row = TeamMember.objects.get(project=project, member=other_member)
    services.update_team_member(
        actor=other_member, row=row, role="Réalisation", skill=None, is_manager=False
    )
    row.refresh_from_db()
    assert row.is_manager


def test_search_finds_public_projects_by_their_open_calls_and_never_team_only_ones(
    project, other_member
):
    from contrechamp.projects.search_documents import project_entries

    post_call(project, title="Ingénieur·e du son")
    secret = make_project(other_member, title="Secret", visibility=Project.Visibility.TEAM)
    entries = list(project_entries([project.pk, secret.pk]))
    assert [entry.object_id for entry in entries] == [project.pk]
    assert "Ingénieur·e du son" in entries[0].words
    assert entries[0].is_public
    assert "Open role calls: 1" in entries[0].text
