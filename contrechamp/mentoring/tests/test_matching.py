import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from zeal import zeal_ignore

from contrechamp.accounts import services as account_services
from contrechamp.accounts.models import Visibility
from contrechamp.mentoring import matching, queries, services
from contrechamp.mentoring.models import AgeBracket, Format, MentoringProfile, SkillListing
from contrechamp.mentoring.tests.conftest import make_mentee, make_mentor, post_listing

pytestmark = pytest.mark.django_db


def suggestions_for(member, **kwargs):
    profile = queries.profile_of(member)
    assert profile is not None
    return matching.suggest(matching.need_of_member(member, profile, **kwargs))


def names(suggestions):
    return [s.mentor.username for s in suggestions]


def test_a_suggestion_says_why_in_plain_words(mentor, mentee, projection):
    [suggestion] = suggestions_for(mentee)

    assert suggestion.mentor == mentor
    # Lyon to Grenoble is about 95 km: out of reach in person, so online.
    assert suggestion.reasons_text == (
        f"{projection.name} · online · speaks French and English · 1 place free"
    )


def test_a_mentor_nearby_shows_the_distance(people, projection, member):
    [near] = people(1, "voisin")
    make_mentor(near, [projection], where="Voiron", fmt=Format.IN_PERSON)
    make_mentee(member, [projection], where="Grenoble", fmt=Format.IN_PERSON)

    [suggestion] = suggestions_for(member)

    assert suggestion.distance_km is not None and 15 < suggestion.distance_km < 30
    assert suggestion.reasons[1].endswith(" km")
    assert not suggestion.online


def test_a_shared_domain_is_required(people, editing, member, projection):
    [other] = people(1)
    make_mentor(other, [editing], where="Grenoble")
    make_mentee(member, [projection])

    assert suggestions_for(member) == []


def test_a_mentor_out_of_reach_in_person_and_not_online_is_not_suggested(
    people, projection, member
):
    [far] = people(1, "lointain")
    make_mentor(far, [projection], where="Lille", fmt=Format.IN_PERSON)
    make_mentee(member, [projection], where="Grenoble")

    assert suggestions_for(member) == []


def test_an_online_mentor_is_not_suggested_to_a_mentee_who_wants_to_meet(
    people, projection, member
):
    [online] = people(1, "enligne")
    make_mentor(online, [projection], where=None, fmt=Format.ONLINE)
    make_mentee(member, [projection], where="Grenoble", fmt=Format.IN_PERSON)
    assert suggestions_for(member) == []

    make_mentee(member, [projection], where="Grenoble", fmt=Format.BOTH)
    assert names(suggestions_for(member)) == ["enligne0"]


def test_nearer_comes_first_then_shared_languages(people, projection, member):
    near, far, foreign = people(3)
    make_mentor(near, [projection], where="Grenoble", fmt=Format.IN_PERSON)
    make_mentor(far, [projection], where="Chambéry", fmt=Format.IN_PERSON)
    make_mentor(foreign, [projection], where="Grenoble", fmt=Format.IN_PERSON, languages=("de",))
    make_mentee(member, [projection], where="Grenoble", fmt=Format.IN_PERSON)

    ranked = suggestions_for(member)

    assert names(ranked) == ["personne0", "personne1", "personne2"]
    assert "speaks" not in ranked[2].reasons_text


def test_more_shared_domains_rank_higher(people, projection, programming, member):
    one, two = people(2)
    make_mentor(one, [projection], where="Grenoble")
    make_mentor(two, [projection, programming], where="Grenoble")
    make_mentee(member, [projection, programming], where="Grenoble")

    ranked = suggestions_for(member)

    assert names(ranked) == ["personne1", "personne0"]
    assert ranked[0].reasons[0] == f"{projection.name} and {programming.name}"


def test_a_mentor_at_capacity_is_not_suggested(mentor, mentee, outsider, projection):
    make_mentee(outsider, [projection])
    with zeal_ignore():
        asked = services.request_mentorship(actor=outsider, mentor=mentor, skill=projection)
        services.accept_mentorship(actor=mentor, mentorship=asked)

    assert suggestions_for(mentee) == []


def test_mentors_already_asked_or_not_accepting_or_hidden_are_not_suggested(
    people, projection, member
):
    asked, closed, hidden, shown = people(4)
    for person in (asked, hidden, shown):
        make_mentor(person, [projection], where="Grenoble")
    make_mentor(closed, [projection], where="Grenoble", accepting=False)
    with zeal_ignore():
        account_services.update_profile(
            actor=hidden, member=hidden, visibility={"mentoring": Visibility.PRIVATE}
        )
    make_mentee(member, [projection])
    with zeal_ignore():
        services.request_mentorship(actor=member, mentor=asked, skill=projection)

    assert names(suggestions_for(member)) == ["personne3"]


def test_the_age_bracket_filters_only_mentors_who_opted_in_and_is_never_a_reason(
    people, projection, member
):
    opted, silent, other_age = people(3)
    make_mentor(opted, [projection], age_bracket=AgeBracket.FROM_60, match_by_age=True)
    make_mentor(silent, [projection], age_bracket=AgeBracket.FROM_60, match_by_age=False)
    make_mentor(other_age, [projection], age_bracket=AgeBracket.UNDER_25, match_by_age=True)
    make_mentee(member, [projection], age_bracket=AgeBracket.UNDER_25)

    filtered = suggestions_for(member, age_bracket=AgeBracket.FROM_60)

    assert names(filtered) == ["personne0"]
    assert "60" not in filtered[0].reasons_text
    assert len(suggestions_for(member)) == 3


def test_an_open_request_gets_suggestions_in_its_domain_and_place(mentor, member, programming):
    wish = post_listing(
        member,
        SkillListing.Kind.REQUEST,
        skill=programming,
        format=Format.ONLINE,
        place=None,
    )

    need = matching.need_of_listing(wish, None)
    [suggestion] = matching.suggest(need)

    assert suggestion.mentor == mentor
    assert suggestion.reasons[0] == programming.name


def test_matching_takes_a_constant_number_of_queries(people, projection, programming, member):
    make_mentee(member, [projection, programming], where="Grenoble")
    profile = MentoringProfile.objects.prefetch_related("learning_skills").get(user=member)
    need = matching.need_of_member(member, profile)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            matching.suggest(need)
        return len(queries)

    for person in people(3, "a"):
        make_mentor(person, [projection], where="Grenoble")
    few = count()
    for person in people(20, "b"):
        make_mentor(person, [projection, programming], where="Voiron", languages=("fr", "en"))

    assert count() == few == 3
