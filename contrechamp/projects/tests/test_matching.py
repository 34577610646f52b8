import pytest
from django.core.exceptions import PermissionDenied
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core import places
from contrechamp.core.errors import DomainError
from contrechamp.notifications.models import Notification
from contrechamp.projects import matching, services
from contrechamp.projects.models import Invitation
from contrechamp.projects.tests.conftest import in_days, skill

pytestmark = pytest.mark.django_db


def candidate(
    username,
    *,
    city="Marseille",
    skills=("sound-recording",),
    days=(29, 35),
    open_=True,
    city_visibility=None,
    travel_km=100,
):
    with zeal_ignore():
        return _candidate(
            username,
            city=city,
            skills=skills,
            days=days,
            open_=open_,
            city_visibility=city_visibility,
            travel_km=travel_km,
        )


def _candidate(username, *, city, skills, days, open_, city_visibility, travel_km):
    person = UserFactory.create(
        username=username,
        display_name=username.capitalize(),
        visibility={"city": city_visibility} if city_visibility else {},
    )
    if city:
        place = places.find_city(city)
        assert place is not None
        person.city_name = place.name
        person.latitude, person.longitude = places.approximate(place.latitude, place.longitude)
        person.save()
    person.skills.set([skill(slug) for slug in skills])
    services.set_call_profile(actor=person, open_to_calls=open_, travel_km=travel_km)
    if days:
        services.add_availability(
            actor=person, starts_on=in_days(days[0]), ends_on=in_days(days[1])
        )
    return person


def names(call):
    return [s.member.username for s in matching.suggest(call)]


def test_members_are_ranked_by_skill_distance_and_availability(call):
    candidate("aubagne", city="Aubagne", city_visibility="public")
    candidate("marseille", city_visibility="members")
    candidate("partly", days=(31, 40))
    candidate("toulon", city="Toulon")
    candidate("nomad", city="Lille", travel_km=1000)
    candidate("wrongskill", skills=("editing",))
    candidate("busy", days=(50, 60))
    assert names(call) == ["marseille", "aubagne", "toulon", "partly"]


def test_each_suggestion_is_explained(call):
    candidate("aix", city="Aix-en-Provence")
    suggestion = matching.suggest(call)[0]
    assert suggestion.explanation.startswith("has the skill Sound recording; ")
    assert " km away; available on all 3 days" in suggestion.explanation
    assert suggestion.distance_km is not None
    assert 15 <= suggestion.distance_km <= 40


def test_partial_availability_says_how_many_days(call):
    candidate("partly", days=(31, 40))
    assert matching.suggest(call)[0].reasons[-1] == "available on 2 of 3 days"


def test_nobody_who_opted_out_is_suggested(call):
    candidate("quiet", open_=False)
    assert names(call) == []


def test_a_member_who_hides_their_city_is_not_ranked_by_distance(call):
    candidate("hidden", city="Marseille", city_visibility="private")
    candidate("networks", city="Marseille", city_visibility="networks")
    candidate("farther", city="Aubagne")
    suggestions = matching.suggest(call)
    assert [s.member.username for s in suggestions] == ["farther", "hidden", "networks"]
    hidden = suggestions[1]
    assert hidden.distance_km is None
    assert "km" not in hidden.explanation


def test_members_beyond_their_travel_distance_are_left_out(call):
    candidate("lyon", city="Lyon", travel_km=50)
    assert names(call) == []


def test_team_members_and_applicants_are_not_suggested(call, other_member):
    applicant = candidate("applicant")
    services.apply(actor=applicant, call=call, message="Bonjour", links=[])
    teammate = candidate("teammate")
    services.add_team_member(actor=other_member, project=call.project, member=teammate)
    assert names(call) == []


def test_suggestions_keep_their_query_count(call, django_assert_max_num_queries):
    for n in range(3):
        candidate(f"first{n}")
    with django_assert_max_num_queries(8) as few:
        matching.suggest(call)
    for n in range(15):
        candidate(f"more{n}", city="Aubagne")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(matching.suggest(call)) == 18


def test_inviting_suggested_members_tells_each_once(call, other_member):
    suggested = candidate("suggested")
    assert services.invite_suggested(actor=other_member, call=call, members=[suggested]) == 1
    assert services.invite_suggested(actor=other_member, call=call, members=[suggested]) == 0
    assert Invitation.objects.count() == 1
    notice = Notification.objects.get(recipient=suggested)
    assert notice.kind == "projects.invited"


def test_only_suggested_members_may_be_invited(call, other_member, outsider):
    with pytest.raises(DomainError):
        services.invite_suggested(actor=other_member, call=call, members=[outsider])


def test_only_a_manager_invites(call, member):
    suggested = candidate("suggested")
    with pytest.raises(PermissionDenied):
        services.invite_suggested(actor=member, call=call, members=[suggested])


def test_availability_is_checked(member):
    with pytest.raises(DomainError):
        services.add_availability(actor=member, starts_on=in_days(5), ends_on=in_days(2))
    with pytest.raises(DomainError):
        services.add_availability(actor=member, starts_on=in_days(-10), ends_on=in_days(-2))
    with pytest.raises(DomainError):
        services.set_call_profile(actor=member, open_to_calls=True, travel_km=0)


def test_the_manager_sees_suggestions_on_the_call_page(client, call, other_member):
    candidate("aix", city="Aix-en-Provence")
    client.force_login(other_member)
    body = client.get(call.get_absolute_url()).content.decode()
    assert "Aix" in body
    assert "available on all 3 days" in body
