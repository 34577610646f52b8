import re

import pytest
from django.urls import reverse
from django.utils import timezone
from zeal import zeal_ignore

from contrechamp.accounts import services as account_services
from contrechamp.accounts.models import User
from contrechamp.events.models import Event
from contrechamp.mentoring import services
from contrechamp.mentoring.models import AgeBracket, MentoringProfile, MentoringSession, Mentorship
from contrechamp.mentoring.tests.conftest import city, make_mentee, make_mentor, post_listing
from contrechamp.mentoring.tests.test_listings import workshop

pytestmark = pytest.mark.django_db


def started(mentee, mentor, skill):
    with zeal_ignore():
        mentorship = services.request_mentorship(actor=mentee, mentor=mentor, skill=skill)
        return services.accept_mentorship(actor=mentor, mentorship=mentorship)


def profile_form(**overrides):
    form = {
        "offers_mentoring": "on",
        "mentor_skills": [],
        "capacity": "2",
        "accepting": "on",
        "availability": "Le samedi",
        "introduction": "Quarante ans de cabine.",
        "learning_goals": "",
        "format": "both",
        "city": "Lille",
        "languages": ["fr"],
        "age_bracket": "",
    }
    return form | overrides


# The mentoring profile


def test_a_member_becomes_a_mentor_through_the_profile_page(client, outsider, projection):
    client.force_login(outsider)

    response = client.post(
        reverse("mentoring:profile"), profile_form(mentor_skills=[projection.pk])
    )

    assert response.status_code == 302
    profile = MentoringProfile.objects.get(user=outsider)
    assert list(profile.mentor_skills.all()) == [projection]
    assert (profile.city_name, profile.capacity, profile.languages) == ("Lille", 2, ["fr"])
    outsider.refresh_from_db()
    assert outsider.offers_mentoring


def test_the_profile_form_keeps_what_was_typed_when_refused(client, outsider):
    client.force_login(outsider)

    response = client.post(
        reverse("mentoring:profile"), profile_form(availability="Les mardis soir", capacity="99")
    )

    assert response.status_code == 200
    assert "Choose at least one domain you mentor in" in response.text
    assert "Les mardis soir" in response.text
    assert not MentoringProfile.objects.exists()


def test_the_profile_starts_from_the_members_city_and_languages(client, member):
    member.city_name, member.languages = "Grenoble", ["fr", "it"]
    member.save(update_fields=["city_name", "languages"])
    client.force_login(member)

    response = client.get(reverse("mentoring:profile"))

    assert 'value="Grenoble"' in response.text
    assert re.search(r'value="it"[^>]*checked', response.text)


# Age bracket privacy


def test_the_age_bracket_never_shows_on_other_members_pages(
    client, other_member, member, projection, outsider
):
    """Every page where the mentor appears to someone else reads the same whatever
    their bracket: the bracket cannot leak, even as a class or a hidden value."""
    mentee_profile = make_mentee(member, [projection], where="Lyon")
    assert mentee_profile.pk

    def pages_as_seen_by_others(bracket):
        make_mentor(other_member, [projection], age_bracket=bracket, match_by_age=True, capacity=3)
        client.force_login(member)
        seen = [
            client.get(reverse("mentoring:mentors")).text,
            client.get(reverse("mentoring:mentor", args=[other_member.username])).text,
            client.get(reverse("mentoring:home")).text,
            client.get(reverse("accounts:profile", args=[other_member.username])).text,
        ]
        client.force_login(outsider)
        seen.append(client.get(reverse("accounts:profile", args=[other_member.username])).text)
        return [re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]+"', "", page) for page in seen]

    under_25 = pages_as_seen_by_others(AgeBracket.UNDER_25)
    over_60 = pages_as_seen_by_others(AgeBracket.FROM_60)

    for first, second in zip(under_25, over_60, strict=True):
        assert first.splitlines() == second.splitlines()
    assert "Nora" in under_25[0]  # the mentor is listed, without any bracket


def test_the_owner_sees_their_own_bracket_on_their_profile_page(client, other_member, projection):
    make_mentor(other_member, [projection], age_bracket=AgeBracket.FROM_60)
    client.force_login(other_member)

    response = client.get(reverse("mentoring:profile"))

    assert re.search(r'value="60_plus"[^>]*selected', response.text)


def test_filtering_by_bracket_finds_only_mentors_who_opted_in(client, member, people, projection):
    opted, silent = people(2, "mentor")
    make_mentor(opted, [projection], age_bracket=AgeBracket.FROM_60, match_by_age=True)
    make_mentor(silent, [projection], age_bracket=AgeBracket.FROM_60, match_by_age=False)
    client.force_login(member)

    response = client.get(reverse("mentoring:mentors"), {"age": AgeBracket.FROM_60})

    assert "Mentor 0" in response.text
    assert "Mentor 1" not in response.text
    assert "Mentor 1" in client.get(reverse("mentoring:mentors")).text


# Mentors


def test_a_mentee_sees_suggested_mentors_with_their_reasons(client, mentor, mentee):
    client.force_login(mentee)

    response = client.get(reverse("mentoring:mentors"))

    assert "Suggested for you" in response.text
    assert "speaks French and English" in response.text


def test_the_mentors_page_needs_a_sign_in(client):
    assert client.get(reverse("mentoring:mentors")).status_code == 302


def test_the_mentors_query_count_does_not_grow(
    client, member, people, projection, django_assert_max_num_queries
):
    mentors = people(30, "mentor")
    for person in mentors[:3]:
        make_mentor(person, [projection], where="Lyon")
    make_mentee(member, [projection], where="Lyon")
    client.force_login(member)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("mentoring:mentors"), {"near": "Lyon"})
    for person in mentors[3:]:
        make_mentor(person, [projection], where="Lyon")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("mentoring:mentors"), {"near": "Lyon"})
    assert "30 mentors" in response.text


def test_asking_from_the_mentor_page(client, mentor, mentee, projection):
    client.force_login(mentee)
    url = reverse("mentoring:mentor", args=[mentor.username])

    response = client.post(url, {"skill": projection.pk, "message": "Bonjour", "goals": "Cabine"})

    mentorship = Mentorship.objects.get()
    assert response.status_code == 302
    assert response.url == mentorship.get_absolute_url()
    assert "A request is waiting for an answer" in client.get(url).text


def test_a_refused_request_comes_back_with_what_was_typed(
    client, mentor, mentee, projection, outsider
):
    started(outsider, mentor, projection)
    client.force_login(mentee)

    response = client.post(
        reverse("mentoring:mentor", args=[mentor.username]),
        {"skill": projection.pk, "message": "Mon long message", "goals": "Mes objectifs"},
    )

    assert response.status_code == 200
    assert "as many people as they can" in response.text
    assert "Mon long message" in response.text
    assert "Mes objectifs" in response.text
    assert not Mentorship.objects.filter(mentee=mentee).exists()
    page = client.get(reverse("mentoring:mentor", args=[mentor.username]))
    assert "does not take new mentees at the moment" in page.text


def test_a_too_long_message_is_refused_beside_the_form(client, mentor, mentee, projection):
    client.force_login(mentee)

    response = client.post(
        reverse("mentoring:mentor", args=[mentor.username]),
        {"skill": projection.pk, "message": "x" * 2001, "goals": "Mes objectifs"},
    )

    assert response.status_code == 200
    assert "Mes objectifs" in response.text
    assert not Mentorship.objects.exists()


# Mentorships


def test_the_mentor_accepts_and_a_session_is_logged_on_the_page(client, mentor, mentee, projection):
    with zeal_ignore():
        mentorship = services.request_mentorship(actor=mentee, mentor=mentor, skill=projection)
    client.force_login(mentor)
    action = "mentoring:mentorship_action"

    accepted = client.post(
        reverse(action, args=[mentorship.pk, "accept"]), {"check_in_months": "3"}
    )
    logged = client.post(
        reverse(action, args=[mentorship.pk, "session"]),
        {"held_on": timezone.localdate().isoformat(), "note": "Enfilage de la pellicule"},
    )

    assert accepted.status_code == logged.status_code == 302
    page = client.get(mentorship.get_absolute_url())
    assert "Enfilage de la pellicule" in page.text
    assert MentoringSession.objects.get().logged_by == mentor


def test_the_sessions_log_is_only_for_the_two_parties(client, mentor, mentee, projection, outsider):
    mentorship = started(mentee, mentor, projection)
    with zeal_ignore():
        services.log_session(
            actor=mentee, mentorship=mentorship, held_on=timezone.localdate(), note="Secret"
        )
    client.force_login(outsider)

    page = client.get(mentorship.get_absolute_url())
    post = client.post(
        reverse("mentoring:mentorship_action", args=[mentorship.pk, "session"]),
        {"held_on": timezone.localdate().isoformat(), "note": "Intrus"},
    )

    assert page.status_code == post.status_code == 403
    assert "Secret" not in page.text
    assert MentoringSession.objects.count() == 1


def test_a_refused_session_keeps_the_note(client, mentor, mentee, projection):
    mentorship = started(mentee, mentor, projection)
    client.force_login(mentee)
    tomorrow = timezone.localdate().toordinal() + 1

    response = client.post(
        reverse("mentoring:mentorship_action", args=[mentorship.pk, "session"]),
        {
            "held_on": type(timezone.localdate()).fromordinal(tomorrow).isoformat(),
            "note": "Ma note de séance",
        },
    )

    assert response.status_code == 200
    assert "future" in response.text
    assert "Ma note de séance" in response.text


def test_an_unknown_action_is_not_found(client, mentor, mentee, projection):
    mentorship = started(mentee, mentor, projection)
    client.force_login(mentee)

    url = reverse("mentoring:mentorship_action", args=[mentorship.pk, "explode"])
    assert client.post(url).status_code == 404


def test_ending_with_thanks_from_the_page(client, mentor, mentee, projection):
    mentorship = started(mentee, mentor, projection)
    client.force_login(mentee)

    client.post(
        reverse("mentoring:mentorship_action", args=[mentorship.pk, "end"]),
        {"thanks": "Merci pour tout"},
    )

    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert "Merci pour tout" in client.get(mentorship.get_absolute_url()).text


def test_my_mentorships_lists_both_sides_with_a_constant_query_count(
    client, member, people, projection, django_assert_max_num_queries
):
    others = people(30, "pair")
    make_mentor(member, [projection], capacity=20)

    def pair_up(group):
        with zeal_ignore():
            for person in group:
                services.request_mentorship(actor=person, mentor=member, skill=projection)

    pair_up(others[:3])
    client.force_login(member)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("mentoring:mentorships"))
    pair_up(others[3:])

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("mentoring:mentorships"))
    assert "Pair 29" in response.text


# Home


def test_the_home_gathers_offers_requests_and_workshops_near_the_member(
    client, member, outsider, mentor, mentee
):
    member.city_name = "Lyon"
    member.save(update_fields=["city_name"])
    post_listing(outsider, title="Cabine lyonnaise")
    post_listing(outsider, title="Cabine lilloise", place=city("Lille"))
    workshop(outsider, where="Lyon")
    far = workshop(outsider, where="Lille")
    far.title = "Atelier lillois"
    far.save(update_fields=["title"])
    client.force_login(mentee)

    response = client.get(reverse("mentoring:home"))

    assert response.status_code == 200
    assert "Cabine lyonnaise" in response.text
    assert "Cabine lilloise" not in response.text
    assert "Atelier montage" in response.text
    assert "Atelier lillois" not in response.text
    assert "Mentors suggested for you" in response.text
    assert "Nora" in response.text


def test_the_home_near_another_city(client, outsider):
    post_listing(outsider, title="Cabine lilloise", place=city("Lille"))

    response = client.get(reverse("mentoring:home"), {"near": "Lille"})

    assert "Cabine lilloise" in response.text
    assert client.get(reverse("mentoring:home"), {"near": "Nullepart"}).status_code == 200


def test_the_home_shows_no_workshop_the_visitor_may_not_see(client, outsider):
    workshop(outsider, visibility=Event.Visibility.MEMBERS)

    response = client.get(reverse("mentoring:home"))

    assert "Atelier montage" not in response.text


def test_the_home_query_count_does_not_grow(
    client, mentee, mentor, people, django_assert_max_num_queries
):
    authors = people(30, "auteur")
    for author in authors[:3]:
        post_listing(author)
    client.force_login(mentee)
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("mentoring:home"), {"near": "Lyon"})
    for author in authors[3:]:
        post_listing(author)
    assert User.objects.count() > 30

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("mentoring:home"), {"near": "Lyon"})


@pytest.mark.parametrize(
    "query",
    [
        {"near": "Nullepart", "km": "abc", "age": "old"},
        {"km": "-5", "page": "999", "online": "maybe"},
        {"q": "x" * 500, "skill": "nope", "near": "\x00"},
    ],
)
def test_the_home_and_mentor_search_answer_any_query_string(client, mentee, mentor, query):
    client.force_login(mentee)

    assert client.get(reverse("mentoring:mentors"), query).status_code == 200
    assert client.get(reverse("mentoring:home"), query).status_code == 200


def test_a_hidden_mentor_has_no_mentor_page(client, mentor, mentee):
    with zeal_ignore():
        account_services.update_profile(
            actor=mentor, member=mentor, visibility={"mentoring": "private"}
        )
    client.force_login(mentee)

    assert client.get(reverse("mentoring:mentor", args=[mentor.username])).status_code == 404
