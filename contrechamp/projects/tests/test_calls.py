import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from contrechamp.core.errors import Conflict, DomainError, InvalidTransition
from contrechamp.notifications.models import Notification
from contrechamp.projects import permissions, services
from contrechamp.projects.models import Application, RoleCall, TeamMember
from contrechamp.projects.tests.conftest import in_days, post_call

pytestmark = pytest.mark.django_db

LINKS = ["https://vimeo.com/123456", "https://example.org/portfolio"]


def test_an_actor_call_is_matched_on_the_acting_skill(project):
    call = post_call(project, kind=RoleCall.Kind.ACTOR, skill=None, title="Marius, 30 ans")
    assert call.skill is not None
    assert call.skill.slug == "acting"


def test_a_crew_call_needs_a_skill(project):
    with pytest.raises(DomainError, match="skill"):
        post_call(project, skill=None)


def test_a_call_takes_the_project_s_city_by_default(call, project):
    assert call.city_name == "Marseille"
    assert call.latitude == project.latitude


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": in_days(10), "starts_on": in_days(12)}, "last day"),
        ({"deadline": in_days(-1)}, "already past"),
        ({"deadline": in_days(40)}, "before the last day"),
        ({"people_needed": 0}, "between 1"),
        ({"people_needed": 500}, "between 1"),
        ({"ends_on": in_days(200)}, "at most"),
    ],
)
def test_bad_call_details_are_refused(project, overrides, message):
    with pytest.raises(DomainError, match=message):
        post_call(project, **overrides)
    assert not RoleCall.objects.exists()


def test_only_a_manager_posts_a_call(project, member):
    details = services.CallDetails(
        kind="volunteer",
        title="Régie",
        starts_on=in_days(5),
        ends_on=in_days(6),
        deadline=in_days(4),
    )
    with pytest.raises(PermissionDenied):
        services.create_call(actor=member, project=project, details=details)


def test_applying_tells_the_managers(call, member, other_member):
    application = services.apply(actor=member, call=call, message="Je suis perchman.", links=LINKS)
    assert application.status == Application.Status.RECEIVED
    assert application.links == LINKS
    notice = Notification.objects.get(recipient=other_member)
    assert notice.kind == "projects.application_received"
    assert "Juliette" in notice.title


def test_applying_twice_is_refused_with_a_clear_message(call, member):
    services.apply(actor=member, call=call, message="Bonjour", links=[])
    with pytest.raises(Conflict, match="already applied"):
        services.apply(actor=member, call=call, message="Encore moi", links=[])
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (["javascript:alert(1)"], "not a web address"),
        (["ftp://example.org/file"], "not a web address"),
        (["pas un lien"], "not a web address"),
        ([f"https://example.org/{n}" for n in range(6)], "at most 5"),
        (["https://example.org/" + "a" * 600], "too long"),
    ],
)
def test_bad_links_are_refused(call, member, links, message):
    with pytest.raises(DomainError, match=message):
        services.apply(actor=member, call=call, message="Bonjour", links=links)
    assert not Application.objects.exists()


def test_an_empty_message_is_refused(call, member):
    with pytest.raises(DomainError):
        services.apply(actor=member, call=call, message="   ", links=[])


def test_a_closed_call_takes_no_application(call, member, other_member):
    services.set_call_open(actor=other_member, call=call, is_open=False)
    with pytest.raises(InvalidTransition):
        services.apply(actor=member, call=call, message="Bonjour", links=[])


def test_the_team_does_not_apply_to_its_own_call(call, other_member):
    with pytest.raises(Conflict):
        services.apply(actor=other_member, call=call, message="Moi", links=[])


def test_shortlisting_then_accepting_adds_the_applicant_to_the_team(call, member, other_member):
    application = services.apply(actor=member, call=call, message="Bonjour", links=[])
    services.decide_application(actor=other_member, application=application, status="shortlisted")
    services.decide_application(actor=other_member, application=application, status="accepted")
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    row = TeamMember.objects.get(project=call.project, member=member)
    assert row.role_call == call
    assert row.role == call.title
    kinds = list(
        Notification.objects.filter(recipient=member).values_list("title", flat=True).order_by("pk")
    )
    assert len(kinds) == 2
    assert "shortlisted" in kinds[0]
    assert "accepted" in kinds[1]


def test_a_declined_application_leaves_the_team_alone(call, member, other_member):
    application = services.apply(actor=member, call=call, message="Bonjour", links=[])
    services.decide_application(actor=other_member, application=application, status="declined")
    assert not permissions.is_team_member(member, call.project)
    with pytest.raises(InvalidTransition):
        services.decide_application(actor=other_member, application=application, status="accepted")


def test_never_more_accepted_than_the_call_s_number_of_people(call, member, outsider, other_member):
    first = services.apply(actor=member, call=call, message="Moi", links=[])
    second = services.apply(actor=outsider, call=call, message="Moi aussi", links=[])
    services.decide_application(actor=other_member, application=first, status="accepted")
    with pytest.raises(Conflict, match="places"):
        services.decide_application(actor=other_member, application=second, status="accepted")
    second.refresh_from_db()
    assert second.status == Application.Status.RECEIVED


def test_only_a_manager_decides(call, member, outsider):
    application = services.apply(actor=member, call=call, message="Moi", links=[])
    with pytest.raises(PermissionDenied):
        services.decide_application(actor=outsider, application=application, status="accepted")
    with pytest.raises(PermissionDenied):
        services.decide_application(actor=member, application=application, status="accepted")


def test_the_number_of_people_cannot_drop_below_those_accepted(call, member, other_member):
    application = services.apply(actor=member, call=call, message="Moi", links=[])
    services.decide_application(actor=other_member, application=application, status="accepted")
    details = services.CallDetails(
        kind="crew",
        title=call.title,
        starts_on=call.starts_on,
        ends_on=call.ends_on,
        deadline=call.deadline,
        skill=call.skill,
        people_needed=1,
    )
    services.update_call(actor=other_member, call=call, details=details)


def test_an_applicant_withdraws_a_pending_application(call, member):
    application = services.apply(actor=member, call=call, message="Moi", links=[])
    services.withdraw_application(actor=member, application=application)
    assert not Application.objects.exists()


def test_the_calls_page_lists_open_calls_with_filters(client, call, project):
    post_call(project, kind="extra", skill=None, title="Dix figurants", people_needed=10)
    response = client.get(reverse("projects:calls"), {"kind": "extra"})
    body = response.content.decode()
    assert "Dix figurants" in body
    assert "Ingénieur·e du son" not in body
    response = client.get(reverse("projects:calls"), {"near": "Aix-en-Provence", "km": "40"})
    assert "Ingénieur·e du son" in response.content.decode()
    response = client.get(reverse("projects:calls"), {"near": "Lille", "km": "40"})
    assert "Ingénieur·e du son" not in response.content.decode()


def test_the_calls_page_keeps_its_query_count(client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post_call(project)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("projects:calls"))
    for number in range(8):
        post_call(project, title=f"Rôle {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("projects:calls"))
    assert "Rôle 7" in response.content.decode()
    assert len(many) == len(few)


def test_applying_through_the_page(client, call, member):
    client.force_login(member)
    response = client.post(
        call.get_absolute_url(),
        {"message": "Je tiens la perche.", "links": "https://vimeo.com/1\nhttps://vimeo.com/2"},
    )
    assert response.status_code == 302
    assert Application.objects.get().links == ["https://vimeo.com/1", "https://vimeo.com/2"]
    response = client.post(call.get_absolute_url(), {"message": "Encore", "links": ""})
    assert response.status_code == 200
    assert Application.objects.count() == 1


def test_a_bad_link_keeps_what_was_typed(client, call, member):
    client.force_login(member)
    response = client.post(
        call.get_absolute_url(), {"message": "Mon message gardé", "links": "pas-un-lien"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mon message gardé" in body
    assert "not a web address" in body


def test_the_manager_decides_through_the_page(client, call, member, other_member):
    application = services.apply(actor=member, call=call, message="Moi", links=[])
    client.force_login(other_member)
    page = client.get(call.get_absolute_url())
    assert "Juliette" in page.content.decode()
    url = reverse("projects:application_decide", args=[call.project.slug, call.pk, application.pk])
    response = client.post(url, {"status": "accepted"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted"


def test_an_outsider_cannot_decide_through_the_page(client, call, member, outsider):
    application = services.apply(actor=member, call=call, message="Moi", links=[])
    client.force_login(outsider)
    url = reverse("projects:application_decide", args=[call.project.slug, call.pk, application.pk])
    assert client.post(url, {"status": "accepted"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "received"
