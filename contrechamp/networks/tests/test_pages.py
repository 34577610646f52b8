import pytest
from django.urls import reverse
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.networks import services
from contrechamp.networks.models import CharterVersion, Membership, Network, Role, RoleHandover
from contrechamp.networks.permissions import standing
from contrechamp.networks.tests.conftest import city

pytestmark = pytest.mark.django_db


def url(name, network=None, **kwargs):
    args = [network.slug] if network is not None else []
    return reverse(f"networks:{name}", args=args, kwargs=kwargs or None)


def populate(network, count, *, start=0):
    """Active members for `network`, made quietly (arrangement, not what is measured)."""
    with zeal_ignore():
        for number in range(start, start + count):
            person = UserFactory.create(username=f"extra{number}")
            services.join_network(actor=person, network=network, accept_charter=True)


def many_networks(admin, count, *, start=0):
    with zeal_ignore():
        for number in range(start, start + count):
            services.create_network(
                actor=admin,
                name=f"Club {number}",
                kind=Network.Kind.CINE_CLUB,
                join_policy=Network.JoinPolicy.OPEN,
                place=city("Grenoble"),
            )


# Home and directory


def test_the_home_page_welcomes_anonymous_visitors_with_new_networks(client, network):
    response = client.get(url("home"))

    assert response.status_code == 200
    assert "Ciné-club étudiant de Grenoble" in response.text
    assert 'action="/networks/"' in response.text


def test_the_home_page_shows_networks_near_the_members_city(client, network, outsider):
    outsider.city_name, outsider.latitude, outsider.longitude = "Voiron", 45.36, 5.59
    outsider.save()
    client.force_login(outsider)

    response = client.get(url("home"))

    assert [n.name for n in response.context["near"]] == ["Ciné-club étudiant de Grenoble"]


def test_the_home_page_lists_my_networks_with_a_charter_to_accept(client, network, admin, member):
    with zeal_ignore():
        services.publish_charter(actor=admin, network=network, text="Nouvelle charte.")
    client.force_login(member)

    response = client.get(url("home"))

    assert "new charter to accept" in response.text


def test_the_home_page_query_count_does_not_grow(client, admin, django_assert_max_num_queries):
    client.force_login(admin)
    many_networks(admin, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(url("home"))
    many_networks(admin, 10, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("home"))


def test_the_directory_lists_networks_near_a_city_with_map_data(client, make_network):
    make_network(name="Ciné-Club de Grenoble", place=city("Grenoble"))
    make_network(name="Les Écrans de Voiron", place=city("Voiron"))
    make_network(name="Ciné-club de Lyon", place=city("Lyon"))

    response = client.get(url("directory"), {"near": "Grenoble", "km": "30"})

    assert response.status_code == 200
    assert "2 networks within 30 km of Grenoble" in response.text
    points = response.context["map_points"]
    assert {p["name"] for p in points} == {"Ciné-Club de Grenoble", "Les Écrans de Voiron"}
    assert 'id="map-data"' in response.text
    assert 'aria-label="Map of the networks listed below"' in response.text
    assert 'type="module"' in response.text
    assert "Ciné-club de Lyon" not in response.text


def test_the_map_script_carries_the_csp_nonce(client, network):
    response = client.get(url("directory"))

    nonce = response.context["csp_nonce"]
    assert f'src="/static/js/map.js" nonce="{nonce}"' in response.text


def test_an_unknown_city_in_the_directory_gives_suggestion_links(client, network):
    response = client.get(url("directory"), {"near": "Grenobel"})

    assert response.status_code == 200
    assert "We do not know the city" in response.text
    assert "?near=Grenoble" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"km": "abc"},
        {"km": "-3", "near": "Lyon"},
        {"page": "abc"},
        {"page": "999"},
        {"type": "<script>alert(1)</script>"},
        {"q": "x" * 5000},
        {"near": "<b>Grenoble</b>"},
    ],
)
def test_odd_directory_queries_never_fail(client, network, query):
    response = client.get(url("directory"), query)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "<b>Grenoble</b>" not in response.text


def test_the_directory_answers_htmx_with_the_results_only(client, network):
    response = client.get(url("directory"), {"q": "ciné"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="directory-results"')
    assert "<html" not in response.text


def test_the_directory_query_count_does_not_grow(client, admin, django_assert_max_num_queries):
    many_networks(admin, 3)
    with django_assert_max_num_queries(10) as few:
        client.get(url("directory"), {"near": "Grenoble"})
    many_networks(admin, 10, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("directory"), {"near": "Grenoble"})
    assert len(response.context["page_obj"].object_list) == 13


def test_the_directory_shows_twenty_networks_a_page(client, admin):
    many_networks(admin, 21)

    first = client.get(url("directory"))
    second = client.get(url("directory"), {"page": "2"})

    assert len(first.context["page_obj"].object_list) == 20
    assert len(second.context["page_obj"].object_list) == 1


# Creating and editing


def test_a_member_creates_a_network_and_runs_it(client, outsider):
    client.force_login(outsider)

    response = client.post(
        url("create"),
        {
            "name": "Ciné-club de Die",
            "kind": "cine_club",
            "city": "Die",
            "join_policy": "request",
            "description": "Le jeudi.",
            "charter": "Soyons **bienveillants**.",
        },
    )

    network = Network.objects.get(name="Ciné-club de Die")
    assert response.status_code == 302
    assert response.url == network.get_absolute_url()
    assert standing(outsider, network).roles == {Role.ADMIN, Role.ORGANISER}
    assert network.current_charter is not None
    assert network.current_charter.number == 1
    assert network.city_name == "Die"


def test_anonymous_visitors_are_sent_to_sign_in_to_create(client):
    response = client.get(url("create"))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_duplicate_name_is_shown_beside_the_name_field(client, network, outsider):
    client.force_login(outsider)

    response = client.post(
        url("create"),
        {
            "name": "CINE CLUB étudiant de grenoble",
            "kind": "cine_club",
            "city": "Grenoble",
            "join_policy": "open",
            "description": "Mon texte gardé",
        },
    )

    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["name"])
    assert "Mon texte gardé" in response.text
    assert Network.objects.count() == 1


def test_double_submitting_the_creation_form_makes_one_network(client, outsider):
    client.force_login(outsider)
    data = {"name": "Ciné-club de Die", "kind": "cine_club", "city": "Die", "join_policy": "open"}

    first = client.post(url("create"), data)
    with zeal_ignore():
        second = client.post(url("create"), data)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Network.objects.count() == 1


def test_an_unknown_city_is_refused_with_suggestions_and_input_kept(client, outsider):
    client.force_login(outsider)

    response = client.post(
        url("create"),
        {"name": "Mon club", "kind": "cine_club", "city": "Grenobel", "join_policy": "open"},
    )

    assert response.status_code == 200
    assert "Grenoble" in str(response.context["form"].errors["city"])
    assert 'value="Mon club"' in response.text


def test_a_network_needs_a_city_or_to_be_online(client, outsider):
    client.force_login(outsider)

    response = client.post(
        url("create"), {"name": "Nulle part", "kind": "cine_club", "join_policy": "open"}
    )
    assert "city" in response.context["form"].errors

    response = client.post(
        url("create"),
        {"name": "En ligne", "kind": "online_community", "is_online": "on", "join_policy": "open"},
    )
    assert response.status_code == 302
    assert Network.objects.get(name="En ligne").latitude is None


def test_over_long_fields_are_refused_beside_the_fields(client, outsider):
    client.force_login(outsider)

    response = client.post(
        url("create"),
        {
            "name": "n" * 500,
            "kind": "cine_club",
            "city": "Lyon" * 100,
            "join_policy": "open",
            "website": "https://" + "a" * 300 + ".org",
            "description": "d" * 6000,
            "charter": "c" * 30000,
        },
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "name",
        "city",
        "website",
        "description",
        "charter",
    }
    assert not Network.objects.exists()


def test_markup_in_a_name_is_escaped_and_scripts_in_a_description_are_dropped(client, outsider):
    client.force_login(outsider)
    client.post(
        url("create"),
        {
            "name": "<script>alert('nom')</script> Club",
            "kind": "cine_club",
            "city": "Lyon",
            "join_policy": "open",
            "description": "<script>alert('desc')</script> **gras** <img src=x onerror=alert(1)>",
        },
    )
    network = Network.objects.get()

    response = client.get(network.get_absolute_url())

    assert "<script>alert(" not in response.text
    assert "&lt;script&gt;alert(&#x27;nom&#x27;)&lt;/script&gt; Club" in response.text
    assert "<strong>gras</strong>" in response.text
    assert "<img" not in response.text


def test_a_name_without_letters_is_refused(client, outsider):
    client.force_login(outsider)

    response = client.post(
        url("create"), {"name": "!!!", "kind": "cine_club", "city": "Lyon", "join_policy": "open"}
    )

    assert "name" in response.context["form"].errors


def test_a_network_called_new_does_not_hide_the_creation_page(client, outsider):
    client.force_login(outsider)
    client.post(
        url("create"), {"name": "New", "kind": "cine_club", "city": "Lyon", "join_policy": "open"}
    )

    assert Network.objects.get().slug != "new"
    assert client.get(url("create")).status_code == 200


def test_an_admin_edits_the_network(client, network, admin):
    client.force_login(admin)

    form_page = client.get(url("edit", network))
    response = client.post(
        url("edit", network),
        {
            "name": "Ciné-club du campus",
            "kind": "student_club",
            "city": "Grenoble",
            "join_policy": "request",
        },
    )

    assert form_page.status_code == 200
    assert response.status_code == 302
    network.refresh_from_db()
    assert network.name == "Ciné-club du campus"
    assert network.join_policy == "request"


@pytest.mark.parametrize("persona", ["organiser", "member", "outsider"])
def test_only_admins_edit_the_network(client, network, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url("edit", network)).status_code == 403
    response = client.post(
        url("edit", network),
        {"name": "Piraté", "kind": "cine_club", "city": "Lyon", "join_policy": "open"},
    )

    assert response.status_code == 403
    network.refresh_from_db()
    assert network.name == "Ciné-club étudiant de Grenoble"


# The network page


def test_an_unknown_network_is_a_404(client):
    assert client.get("/networks/no-such-club/").status_code == 404
    assert client.get("/networks/no-such-club/members/").status_code in {302, 404}


def test_the_public_page_shows_who_runs_it_and_a_join_button(client, network, outsider):
    client.force_login(outsider)

    response = client.get(network.get_absolute_url())

    assert response.status_code == 200
    assert "Juliette" in response.text
    assert "Sébastien" in response.text
    assert url("join", network) in response.text
    assert "Who held which role" not in response.text
    assert "<strong>chaque jeudi</strong>" in response.text


def test_members_see_the_role_history_with_handover_notes(client, network, organiser, member):
    with zeal_ignore():
        services.hand_over_role(
            actor=organiser,
            network=network,
            role=Role.ORGANISER,
            from_member=organiser,
            to_member=member,
            notes="Le **projecteur** est dans la salle 12.",
        )
    client.force_login(member)

    response = client.get(network.get_absolute_url())

    assert "Who held which role" in response.text
    assert "<strong>projecteur</strong>" in response.text


def test_members_with_an_outdated_charter_see_the_banner(client, network, admin, member):
    with zeal_ignore():
        services.publish_charter(actor=admin, network=network, text="Charte v1.")
    client.force_login(member)

    response = client.get(network.get_absolute_url())

    assert "The charter of this network has a new version." in response.text


def test_the_network_page_query_count_does_not_grow(
    client, network, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    populate(network, 3)
    with django_assert_max_num_queries(15) as few:
        client.get(network.get_absolute_url())
    populate(network, 10, start=3)
    with zeal_ignore():
        for number in range(5):
            services.assign_role(
                actor=admin,
                network=network,
                member=Membership.objects.get(user__username=f"extra{number}").user,
                role=Role.MODERATOR,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(network.get_absolute_url())
    assert response.context["network"].member_count == 16


# Joining


def test_joining_through_the_page_and_twice_gives_no_error(client, network, outsider):
    client.force_login(outsider)

    first = client.post(url("join", network))
    second = client.post(url("join", network))

    assert first.status_code == second.status_code == 302
    assert Membership.objects.filter(user=outsider).count() == 1


def test_the_join_page_requires_the_charter_box_and_keeps_the_message(
    client, request_network, admin, outsider
):
    with zeal_ignore():
        services.publish_charter(actor=admin, network=request_network, text="Sois **gentil**.")
    client.force_login(outsider)

    page = client.get(url("join", request_network))
    refused = client.post(url("join", request_network), {"message": "Fan de Varda"})
    accepted = client.post(
        url("join", request_network), {"message": "Fan de Varda", "accept_charter": "on"}
    )

    assert "<strong>gentil</strong>" in page.text
    assert refused.status_code == 200
    assert "accept_charter" in refused.context["form"].errors
    assert "Fan de Varda" in refused.text
    assert accepted.status_code == 302
    membership = Membership.objects.get(user=outsider)
    assert membership.status == Membership.Status.PENDING
    assert membership.request_message == "Fan de Varda"


def test_an_invitation_only_network_explains_itself_and_refuses_a_forced_post(
    client, make_network, outsider
):
    club = make_network(join_policy=Network.JoinPolicy.INVITATION)
    client.force_login(outsider)

    assert "by invitation only" in client.get(url("join", club)).text
    assert client.post(url("join", club)).status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()


def test_leaving_asks_for_confirmation_then_leaves(client, network, member):
    client.force_login(member)

    assert client.get(url("leave", network)).status_code == 200
    response = client.post(url("leave", network))

    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()


def test_the_last_admin_leaving_gets_a_message_not_an_error(client, network, admin):
    client.force_login(admin)

    response = client.post(url("leave", network), follow=True)

    assert response.status_code == 200
    assert "hand over your admin role first" in response.text
    assert standing(admin, network).is_admin


# Members, requests, invitations


def test_members_only_see_the_members_page(client, network, member, outsider):
    client.force_login(outsider)
    assert client.get(url("members", network)).status_code == 403

    client.force_login(member)
    response = client.get(url("members", network))
    assert response.status_code == 200
    assert "Sébastien" in response.text


def test_the_members_page_query_count_does_not_grow(
    client, network, member, django_assert_max_num_queries
):
    client.force_login(member)
    populate(network, 3)
    with django_assert_max_num_queries(15) as few:
        client.get(url("members", network))
    populate(network, 10, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("members", network), {"page": "abc"})
    assert response.context["page_obj"].paginator.count == 16


def test_an_admin_removes_a_member_from_the_members_page(client, network, admin, member):
    client.force_login(admin)

    response = client.post(url("remove_member", network), {"member": member.pk})

    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()


@pytest.mark.parametrize("value", ["abc", "", "999999", "99999999999999999999999"])
def test_removing_an_unknown_member_is_a_message(client, network, admin, value):
    client.force_login(admin)

    response = client.post(url("remove_member", network), {"member": value})

    assert response.status_code == 302
    assert Membership.objects.filter(network=network).count() == 3


def test_a_plain_member_cannot_remove_anyone(client, network, member, organiser):
    client.force_login(member)

    response = client.post(url("remove_member", network), {"member": organiser.pk})

    assert response.status_code == 403
    assert Membership.objects.filter(user=organiser).exists()


def test_an_organiser_welcomes_a_request_from_the_requests_page(
    client, request_network, organiser, outsider
):
    with zeal_ignore():
        pending = services.join_network(
            actor=outsider, network=request_network, accept_charter=False, message="<b>Hi</b>"
        )
    client.force_login(organiser)

    page = client.get(url("requests", request_network))
    response = client.post(
        url("requests", request_network), {"membership": pending.pk, "decision": "approve"}
    )
    again = client.post(
        url("requests", request_network), {"membership": pending.pk, "decision": "approve"}
    )

    assert "&lt;b&gt;Hi&lt;/b&gt;" in page.text
    assert response.status_code == again.status_code == 302
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.ACTIVE


@pytest.mark.parametrize(
    "data", [{}, {"membership": "x", "decision": "approve"}, {"membership": "1", "decision": "x"}]
)
def test_odd_decisions_are_a_message(client, request_network, organiser, data):
    client.force_login(organiser)

    assert client.post(url("requests", request_network), data).status_code == 302


def test_a_plain_member_cannot_see_or_answer_requests(client, network, member, outsider):
    client.force_login(member)

    assert client.get(url("requests", network)).status_code == 403
    assert (
        client.post(url("requests", network), {"membership": 1, "decision": "approve"}).status_code
        == 403
    )


def test_an_organiser_invites_by_username(client, network, organiser, outsider):
    client.force_login(organiser)

    response = client.post(url("invite", network), {"invitee": "OUTSIDER"})
    unknown = client.post(url("invite", network), {"invitee": "personne"})

    assert response.status_code == 302
    assert Membership.objects.get(user=outsider).status == Membership.Status.INVITED
    assert unknown.status_code == 200
    assert "invitee" in unknown.context["form"].errors


def test_inviting_a_member_is_shown_beside_the_field(client, network, organiser, member):
    client.force_login(organiser)

    response = client.post(url("invite", network), {"invitee": member.username})

    assert "already a member" in str(response.context["form"].errors["invitee"])


# Charter


def test_the_charter_page_is_public_and_admins_publish_a_version(client, network, admin):
    assert client.get(url("charter", network)).status_code == 200
    client.force_login(admin)

    response = client.post(url("charter", network), {"text": "Charte **v1**."})
    again = client.post(url("charter", network), {"text": "Charte **v1**."})

    assert response.status_code == again.status_code == 302
    assert CharterVersion.objects.filter(network=network).count() == 1
    assert "<strong>v1</strong>" in client.get(url("charter", network)).text


def test_a_member_cannot_publish_a_charter(client, network, organiser):
    client.force_login(organiser)

    response = client.post(url("charter", network), {"text": "Coup d'état."})

    assert response.status_code == 403
    assert not CharterVersion.objects.exists()


def test_a_member_accepts_the_new_charter_from_its_page(client, network, admin, member):
    with zeal_ignore():
        services.publish_charter(actor=admin, network=network, text="v1")
    client.force_login(member)

    assert "I have read this charter and I accept it" in client.get(url("charter", network)).text
    first = client.post(url("accept_charter", network))
    second = client.post(url("accept_charter", network))

    assert first.status_code == second.status_code == 302
    assert standing(member, network).can_act


def test_accepting_a_charter_that_does_not_exist_is_a_readable_refusal(client, network, member):
    client.force_login(member)

    response = client.post(url("accept_charter", network))

    assert response.status_code == 400
    assert "no charter" in response.text


# Roles


def test_members_see_the_roles_page_and_outsiders_do_not(client, network, member, outsider):
    client.force_login(outsider)
    assert client.get(url("roles", network)).status_code == 403

    client.force_login(member)
    response = client.get(url("roles", network))
    assert response.status_code == 200
    assert response.context["assign_form"] is None
    assert response.context["handover_form"] is None


def test_an_admin_gives_a_role_from_the_roles_page(client, network, admin, member):
    client.force_login(admin)

    response = client.post(url("assign_role", network), {"member": "nora", "role": "moderator"})

    assert response.status_code == 302
    assert standing(member, network).roles == {Role.MODERATOR}


def test_giving_a_role_to_an_outsider_is_shown_beside_the_field(client, network, admin, outsider):
    client.force_login(admin)

    response = client.post(url("assign_role", network), {"member": "outsider", "role": "admin"})

    assert response.status_code == 200
    assert "not a member" in str(response.context["assign_form"].errors["member"])


def test_an_organiser_cannot_give_roles_from_the_page(client, network, organiser, member):
    client.force_login(organiser)

    response = client.post(url("assign_role", network), {"member": "nora", "role": "admin"})

    assert response.status_code == 403
    assert standing(member, network).roles == frozenset()


def test_an_organiser_hands_over_from_the_roles_page(client, network, organiser, member):
    client.force_login(organiser)
    assignment = organiser.network_roles.get(network=network)

    page = client.get(url("roles", network))
    response = client.post(
        url("hand_over", network),
        {"assignment": assignment.pk, "successor": "nora", "notes": "Les **clés**."},
    )

    assert page.context["handover_form"] is not None
    assert response.status_code == 302
    assert RoleHandover.objects.get().notes == "Les **clés**."
    assert standing(member, network).roles == {Role.ORGANISER}


def test_submitting_the_same_handover_twice_is_no_error_and_no_duplicate(
    client, network, organiser, member
):
    client.force_login(organiser)
    assignment = organiser.network_roles.get(network=network)
    form = {"assignment": assignment.pk, "successor": "nora", "notes": "Les clés."}

    first = client.post(url("hand_over", network), form)
    second = client.post(url("hand_over", network), form)

    assert first.status_code == second.status_code == 302
    assert RoleHandover.objects.count() == 1
    assert standing(member, network).roles == {Role.ORGANISER}


def test_a_handover_without_notes_keeps_the_input_and_shows_the_error(client, network, organiser):
    client.force_login(organiser)
    assignment = organiser.network_roles.get(network=network)

    response = client.post(
        url("hand_over", network), {"assignment": assignment.pk, "successor": "nora", "notes": ""}
    )

    assert response.status_code == 200
    assert "notes" in response.context["handover_form"].errors
    assert not RoleHandover.objects.exists()


def test_a_member_without_a_role_cannot_hand_over_someone_elses(client, network, member, organiser):
    client.force_login(member)
    assignment = organiser.network_roles.get(network=network)

    response = client.post(
        url("hand_over", network),
        {"assignment": assignment.pk, "successor": "nora", "notes": "Je prends."},
    )

    assert response.status_code == 403
    assert not RoleHandover.objects.exists()


def test_an_admin_ends_a_role_and_an_odd_id_is_a_message(client, network, admin, organiser):
    client.force_login(admin)
    assignment = organiser.network_roles.get(network=network)

    response = client.post(url("revoke_role", network), {"assignment": assignment.pk})
    odd = client.post(url("revoke_role", network), {"assignment": "abc"})

    assert response.status_code == odd.status_code == 302
    assert standing(organiser, network).roles == frozenset()


def test_the_last_admin_stepping_down_gets_a_message(client, network, admin):
    client.force_login(admin)
    assignment = admin.network_roles.get(network=network, role=Role.ADMIN)

    response = client.post(url("revoke_role", network), {"assignment": assignment.pk}, follow=True)

    assert "last admin" in response.text
    assert standing(admin, network).is_admin


def test_the_roles_page_query_count_does_not_grow(
    client, network, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    populate(network, 13)

    def give_roles(numbers):
        with zeal_ignore():
            for number in numbers:
                person = Membership.objects.get(user__username=f"extra{number}").user
                services.assign_role(
                    actor=admin, network=network, member=person, role=Role.MODERATOR
                )
                services.revoke_role(
                    actor=admin, network=network, member=person, role=Role.MODERATOR
                )
                services.assign_role(
                    actor=admin, network=network, member=person, role=Role.ORGANISER
                )

    give_roles(range(3))
    with django_assert_max_num_queries(20) as few:
        client.get(url("roles", network))
    give_roles(range(3, 13))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("roles", network))
    assert response.status_code == 200


def test_the_site_admin_refuses_a_duplicate_name_as_a_form_error(client, network, admin):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    response = client.post(
        "/admin/networks/network/add/",
        {
            "name": "CINÉ-CLUB étudiant de Grenoble",
            "slug": "autre",
            "kind": "cine_club",
            "is_online": "on",
            "join_policy": "open",
            "created_at_0": "2026-01-01",
            "created_at_1": "10:00:00",
            **{
                f"{prefix}-{key}": "0"
                for prefix in ("role_assignments", "memberships")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["name"]
    assert Network.objects.count() == 1
