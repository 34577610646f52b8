import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.networks import services as network_services
from contrechamp.networks.models import Network, Role
from contrechamp.networks.tests.conftest import city
from contrechamp.notifications import emails, newsletter, services
from contrechamp.notifications.models import Newsletter, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return UserFactory.create(username="sebastien", display_name="Sébastien")


@pytest.fixture
def club(member, organiser, other_member):
    """Juliette admin, Sébastien organiser, Nora member."""
    network = network_services.create_network(
        actor=member,
        name="Ciné-club étudiant de Grenoble",
        kind=Network.Kind.STUDENT_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Grenoble"),
    )
    for person in (organiser, other_member):
        network_services.join_network(actor=person, network=network, accept_charter=True)
    network_services.assign_role(
        actor=member, network=network, member=organiser, role=Role.ORGANISER
    )
    return network


@pytest.fixture
def screenings(monkeypatch):
    """A section as the events app will register one."""
    calls = []

    def upcoming(network, since):
        calls.append((network.pk, since))
        return [
            newsletter.NewsletterItem(
                title="Le Voyage dans la Lune", url="/events/1/", text="Thursday 8 pm"
            ),
            newsletter.NewsletterItem(title="Elsewhere", url="https://evil.example/"),
        ]

    monkeypatch.setattr(newsletter, "_sections", {})
    newsletter.register_section(
        newsletter.Section(slug="events.upcoming", title="Upcoming screenings", items=upcoming)
    )
    monkeypatch.setattr(
        newsletter,
        "_sections",
        {
            **newsletter._sections,
            "empty": newsletter.Section(
                slug="empty", title="Nothing here", items=lambda network, since: []
            ),
        },
    )
    return calls


def compose_url(network):
    return reverse("notifications:compose_newsletter", args=[network.slug])


def test_an_organiser_sends_the_newsletter_to_every_active_member(
    club, member, organiser, other_member, screenings
):
    sent = services.send_newsletter(
        actor=organiser, network=club, subject="November", introduction="Hello **all**"
    )

    assert sent.recipient_count == 2  # Juliette and Nora; Sébastien sent it
    notified = Notification.objects.filter(kind=newsletter.KIND).select_related("recipient")
    assert {n.recipient for n in notified} == {member, other_member}
    first = notified.first()
    assert first is not None
    assert first.url == sent.get_absolute_url()
    assert "Le Voyage dans la Lune (Thursday 8 pm)" in first.body
    assert first.delivery == "digest"


def test_the_sections_are_frozen_with_the_newsletter_and_keep_only_local_links(
    club, organiser, screenings
):
    sent = services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="")

    assert sent.sections == [
        {
            "slug": "events.upcoming",
            "title": "Upcoming screenings",
            "items": [
                {"title": "Le Voyage dans la Lune", "url": "/events/1/", "text": "Thursday 8 pm"},
                {"title": "Elsewhere", "url": "", "text": ""},
            ],
        }
    ]


def test_the_next_newsletter_asks_sections_for_what_is_new_since_the_last_one(
    club, organiser, screenings
):
    first = services.send_newsletter(actor=organiser, network=club, subject="One", introduction="")
    services.send_newsletter(actor=organiser, network=club, subject="Two", introduction="")

    assert screenings[1][1] == first.sent_at


def test_a_plain_member_cannot_send_a_newsletter(club, other_member):
    with pytest.raises(PermissionDenied):
        services.send_newsletter(actor=other_member, network=club, subject="Spam", introduction="")
    assert not Newsletter.objects.exists()
    assert not Notification.objects.exists()


def test_an_outsider_cannot_send_a_newsletter(club, outsider):
    with pytest.raises(PermissionDenied):
        services.send_newsletter(actor=outsider, network=club, subject="Spam", introduction="")


def test_sending_the_same_newsletter_twice_is_refused(club, organiser):
    services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="Hi")

    with pytest.raises(Conflict):
        services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="Hi")
    assert Newsletter.objects.count() == 1


@pytest.mark.parametrize(
    ("subject", "introduction"), [("", "x"), ("s" * 201, ""), ("ok", "i" * 5001), ("a\x00", "")]
)
def test_a_bad_subject_or_introduction_is_refused(club, organiser, subject, introduction):
    with pytest.raises(DomainError):
        services.send_newsletter(
            actor=organiser, network=club, subject=subject, introduction=introduction
        )


def test_the_newsletter_reaches_members_in_their_digest(club, organiser, mailoutbox):
    services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="Hi")

    assert emails.send_digests() == 2
    assert all("Ciné-club étudiant de Grenoble · Nov" in email.body for email in mailoutbox)


def test_a_member_who_wants_newsletters_at_once_gets_the_email_now(
    club, organiser, member, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    services.set_preferences(
        actor=other_member, member=other_member, choices={newsletter.KIND: "immediate"}
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="Hi")

    assert [email.to for email in mailoutbox] == [[other_member.email]]
    assert emails.send_digests() == 1  # Juliette keeps the default: the daily digest


@pytest.mark.parametrize("size", [3, 30])
def test_sending_costs_the_same_queries_for_3_or_30_members(
    club, organiser, size, django_assert_max_num_queries
):
    for number in range(size):
        person = UserFactory.create(username=f"spectateur-{number}")
        network_services.join_network(actor=person, network=club, accept_charter=True)

    with django_assert_max_num_queries(20):
        sent = services.send_newsletter(
            actor=organiser, network=club, subject="Nov", introduction="Hi"
        )

    assert sent.recipient_count == size + 2


def test_the_compose_page_is_for_organisers_only(client, club, other_member):
    client.force_login(other_member)

    assert client.get(compose_url(club)).status_code == 403


def test_an_organiser_previews_then_sends(client, club, organiser, screenings):
    client.force_login(organiser)
    data = {"subject": "November", "introduction": "Hello <script>x</script>"}

    preview = client.post(compose_url(club), {**data, "action": "preview"})

    assert preview.status_code == 200
    assert "Le Voyage dans la Lune" in preview.text
    assert "Nothing here" not in preview.text
    assert "<script>x</script>" not in preview.text
    assert 'value="send"' in preview.text
    assert not Newsletter.objects.exists()

    sent = client.post(compose_url(club), {**data, "action": "send"})

    newsletter_row = Newsletter.objects.get()
    assert sent["Location"] == newsletter_row.get_absolute_url()


def test_a_double_submission_shows_a_message_beside_the_form(client, club, organiser):
    client.force_login(organiser)
    data = {"subject": "November", "introduction": "Hi", "action": "send"}
    client.post(compose_url(club), data)

    again = client.post(compose_url(club), data)

    assert again.status_code == 200
    assert "This newsletter has just been sent." in again.text
    assert Newsletter.objects.count() == 1


def test_an_over_long_subject_is_shown_as_a_form_error(client, club, organiser):
    client.force_login(organiser)

    response = client.post(compose_url(club), {"subject": "s" * 500, "action": "send"})

    assert response.status_code == 200
    assert response.context["form"].errors["subject"]


def test_members_read_a_sent_newsletter_and_outsiders_do_not(
    client, club, organiser, other_member, outsider
):
    sent = services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="")
    client.force_login(other_member)
    assert client.get(sent.get_absolute_url()).status_code == 200

    client.force_login(outsider)
    assert client.get(sent.get_absolute_url()).status_code == 403


def test_a_newsletter_of_another_network_is_not_found_here(client, club, organiser, member):
    sent = services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="")
    other = network_services.create_network(
        actor=member,
        name="Autre club",
        kind=Network.Kind.CINE_CLUB,
        join_policy=Network.JoinPolicy.OPEN,
        place=city("Lyon"),
    )
    client.force_login(member)

    url = reverse("notifications:newsletter", args=[other.slug, sent.pk])
    assert client.get(url).status_code == 404


def test_sending_queries_grow_only_with_the_members_notified(
    club, organiser, django_assert_max_num_queries
):
    with zeal_ignore():
        for number in range(10):
            person = UserFactory.create(username=f"extra{number}")
            network_services.join_network(actor=person, network=club, accept_charter=True)

    # Per member: their preference and the notification itself.
    with django_assert_max_num_queries(15 + 2 * 12):
        services.send_newsletter(actor=organiser, network=club, subject="Nov", introduction="")


def test_a_newsletter_number_too_big_for_the_database_is_not_found(client, club, member):
    client.force_login(member)

    url = reverse("notifications:newsletter", args=[club.slug, 10**30])
    assert client.get(url).status_code == 404


def test_an_unknown_network_has_no_newsletter_page(client, member):
    client.force_login(member)

    assert (
        client.get(reverse("notifications:compose_newsletter", args=["nowhere"])).status_code == 404
    )
