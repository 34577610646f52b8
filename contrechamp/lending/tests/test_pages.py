import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from zeal import zeal_ignore

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.lending import services
from contrechamp.lending.models import Booking, EquipmentManager, Item, Loan
from contrechamp.lending.tests.conftest import city, slot

pytestmark = pytest.mark.django_db


def png(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, format="PNG")
    return SimpleUploadedFile("affiche.png", buffer.getvalue(), content_type="image/png")


def many_items(make_item, owner, count, *, start=0, **fields):
    with zeal_ignore():
        for number in range(start, start + count):
            make_item(by=owner, title=f"Film {number}", **fields)


def item_form(**overrides):
    data = {
        "kind": Item.Kind.POSTER,
        "title": "Affiche de Cléo de 5 à 7",
        "condition": Item.Condition.GOOD,
        "city": "Grenoble",
        "offers_swap": "on",
        "visibility": Item.Visibility.PUBLIC,
        "deposit": "",
        "min_on_time_returns": "",
    }
    data.update(overrides)
    return data


# Library


def test_the_library_shows_public_items_to_anonymous_visitors(client, make_item, network):
    make_item(title="Le Mépris")
    make_item(title="Secret de club", visibility=Item.Visibility.NETWORKS)

    response = client.get(reverse("lending:library"))

    assert response.status_code == 200
    assert "Le Mépris" in response.text
    assert "Secret de club" not in response.text


def test_the_library_filters_by_kind_text_and_distance(client, make_item):
    make_item(title="Le Mépris", kind=Item.Kind.DVD)
    make_item(title="Mépris en VHS", kind=Item.Kind.VHS, place=city("Marseille"))
    make_item(title="Pierrot le fou", kind=Item.Kind.DVD)

    by_kind = client.get(reverse("lending:library"), {"kind": "dvd", "q": "mépris"})
    nearby = client.get(reverse("lending:library"), {"near": "Voiron", "km": "50"})

    assert [i.title for i in by_kind.context["page_obj"]] == ["Le Mépris"]
    assert "Mépris en VHS" not in [i.title for i in nearby.context["page_obj"]]
    assert len(nearby.context["page_obj"]) == 2


def test_the_library_hides_items_out_on_the_requested_dates(
    client, make_item, member, other_member
):
    lent = make_item(title="Prêté")
    make_item(title="Libre")
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=lent)
        services.accept_loan(actor=member, loan=loan)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.get(reverse("lending:library"), {"from": tomorrow, "until": tomorrow})

    assert [i.title for i in response.context["page_obj"]] == ["Libre"]


@pytest.mark.parametrize(
    "query",
    [
        {"km": "abc", "from": "demain", "kind": "<script>"},
        {"near": "Nulle-Part-sur-Mer", "q": "x" * 5000},
        {"page": "999999999999999999999"},
        {"from": "9999-12-31", "until": "0001-01-01"},
        {"from": "2026-02-30", "km": "99999999999999999999999"},
    ],
)
def test_the_library_answers_any_query_string(client, item, query):
    response = client.get(reverse("lending:library"), query)

    assert response.status_code == 200


def test_the_library_query_count_does_not_grow(
    client, make_item, member, django_assert_max_num_queries
):
    client.force_login(member)
    many_items(make_item, member, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("lending:library"))
    many_items(make_item, member, 10, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("lending:library"))


# Items


def test_a_member_lists_an_item_with_a_photo(client, member):
    client.force_login(member)

    response = client.post(reverse("lending:item_create"), item_form(photo=png()))

    item = Item.objects.get()
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    assert item.owner_user == member
    assert str(item.photo.name).endswith(".png")
    assert (item.latitude, item.longitude) == (45.18, 5.71)


def test_a_photo_that_is_not_an_image_is_refused_beside_the_field(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("affiche.png", b"<script>alert(1)</script>", "image/png")

    response = client.post(reverse("lending:item_create"), item_form(photo=fake))

    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert "Affiche de Cléo" in response.text
    assert not Item.objects.exists()


def test_a_photo_over_5_mb_is_refused(client, member, monkeypatch):
    client.force_login(member)
    monkeypatch.setattr("contrechamp.lending.forms.PHOTO_MAX_BYTES", 10)

    response = client.post(reverse("lending:item_create"), item_form(photo=png()))

    assert "larger than 5 MB" in response.text
    assert not Item.objects.exists()


def test_an_item_form_without_a_mode_or_with_an_unknown_city_keeps_what_was_typed(client, member):
    client.force_login(member)

    response = client.post(
        reverse("lending:item_create"),
        item_form(offers_swap="", city="Grenobel", title="T" * 500),
    )

    errors = response.context["form"].errors
    assert {"offers_loan", "city", "title"} <= set(errors)
    assert 'value="Grenobel"' in response.text


def test_an_equipment_manager_lists_equipment_for_the_network(client, network, member):
    client.force_login(member)

    client.post(
        reverse("lending:item_create"),
        item_form(owner=network.slug, kind=Item.Kind.CAMERA, title="Caméra", offers_loan="on"),
    )

    item = Item.objects.get()
    assert item.owner_network == network
    assert item.is_bookable


def test_only_the_owner_can_edit_an_item(client, item, member, other_member):
    client.force_login(other_member)
    assert client.get(reverse("lending:item_edit", args=[item.pk])).status_code == 403

    client.force_login(member)
    response = client.post(
        reverse("lending:item_edit", args=[item.pk]),
        item_form(kind=Item.Kind.BLU_RAY, title="Jeanne Dielman (restauré)", offers_loan="on"),
    )

    item.refresh_from_db()
    assert response.status_code == 302
    assert item.title == "Jeanne Dielman (restauré)"


def test_the_item_page_shows_my_track_record_and_takes_a_request(client, item, other_member):
    client.force_login(other_member)
    page = client.get(reverse("lending:item_detail", args=[item.pk]))

    response = client.post(
        reverse("lending:item_detail", args=[item.pk]), {"message": "Pour jeudi"}
    )

    assert "0 loans returned on time" in page.text
    loan = Loan.objects.get()
    assert response.url == loan.get_absolute_url()
    assert loan.message == "Pour jeudi"


def test_requesting_ones_own_item_on_its_page_shows_the_refusal(client, item, member):
    client.force_login(member)

    response = client.post(reverse("lending:item_detail", args=[item.pk]), {"message": ""})

    assert response.status_code == 200
    assert "You look after this item" in response.text
    assert not Loan.objects.exists()


@pytest.mark.parametrize("name", ["item_detail", "equipment_detail", "loan_detail"])
def test_unknown_or_huge_ids_are_not_found(client, member, name):
    client.force_login(member)

    assert client.get(reverse(f"lending:{name}", args=[99999])).status_code == 404
    assert client.get(f"/library/{'9' * 30}/").status_code == 404


# Loans


def test_the_loans_page_lists_both_sides_and_its_query_count_does_not_grow(
    client, make_item, member, other_member, django_assert_max_num_queries
):
    def lend_some(count, start):
        with zeal_ignore():
            for number in range(start, start + count):
                mine = make_item(title=f"À moi {number}")
                theirs = make_item(by=other_member, title=f"À Nora {number}")
                services.request_loan(actor=other_member, item=mine)
                services.request_loan(actor=member, item=theirs)

    client.force_login(member)
    lend_some(3, 0)
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("lending:loans"))
    assert "À moi 0" in response.text
    assert "À Nora 0" in response.text
    lend_some(10, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("lending:loans"))


def test_the_loan_page_is_hidden_from_others(client, item, other_member, outsider):
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item)
    client.force_login(outsider)

    assert client.get(loan.get_absolute_url()).status_code == 404


def test_the_owner_accepts_and_hands_over_from_the_loan_page(client, item, member, other_member):
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item)
    client.force_login(member)
    page = client.get(loan.get_absolute_url())
    due = (timezone.localdate() + timedelta(days=10)).isoformat()

    client.post(reverse("lending:loan_action", args=[loan.pk, "accept"]), {"pickup_note": "Ici"})
    client.post(reverse("lending:loan_action", args=[loan.pk, "hand-over"]), {"due_on": due})
    again = client.post(
        reverse("lending:loan_action", args=[loan.pk, "accept"]), {"pickup_note": ""}, follow=True
    )

    assert "0 loans returned on time" in page.text
    loan.refresh_from_db()
    assert loan.status == Loan.Status.HANDED_OVER
    assert "not waiting for an answer" in again.text


def test_a_bad_date_in_a_loan_form_comes_back_as_a_message(client, item, member, other_member):
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item)
        services.accept_loan(actor=member, loan=loan)
    client.force_login(member)

    response = client.post(
        reverse("lending:loan_action", args=[loan.pk, "hand-over"]),
        {"due_on": "pas une date"},
        follow=True,
    )

    assert response.status_code == 200
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ACCEPTED


def test_the_borrower_cannot_accept_their_own_request(client, item, other_member):
    with zeal_ignore():
        loan = services.request_loan(actor=other_member, item=item)
    client.force_login(other_member)

    response = client.post(reverse("lending:loan_action", args=[loan.pk, "accept"]))

    assert response.status_code == 403


# Equipment


def test_a_member_books_equipment_and_an_overlap_shows_the_next_free_slots(
    client, camera, member, other_member
):
    start, end = slot(hours=3)
    fmt = "%Y-%m-%dT%H:%M"
    with zeal_ignore():
        services.book_equipment(actor=member, item=camera, start=start, end=end)
    client.force_login(other_member)

    refused = client.post(
        camera.get_absolute_url(),
        {"start": f"{start:{fmt}}", "end": f"{end:{fmt}}", "purpose": "Court métrage"},
    )
    later = end + timedelta(hours=1)
    booked = client.post(
        camera.get_absolute_url(),
        {"start": f"{later:{fmt}}", "end": f"{later + timedelta(hours=2):{fmt}}"},
    )

    assert "Next free slots" in refused.text
    assert 'value="Court métrage"' in refused.text
    booking = Booking.objects.get(booked_by=other_member)
    assert booked.url == booking.get_absolute_url()
    assert booking.status == Booking.Status.PENDING


def test_an_equipment_manager_approves_from_the_booking_page(client, camera, member, other_member):
    start, end = slot()
    with zeal_ignore():
        booking = services.book_equipment(actor=other_member, item=camera, start=start, end=end)
    client.force_login(member)
    listing = client.get(reverse("lending:equipment"))

    client.post(reverse("lending:booking_action", args=[booking.pk, "approve"]))

    assert booking.get_absolute_url() in listing.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.APPROVED


def test_the_equipment_page_query_count_does_not_grow(
    client, make_item, network, admin, member, django_assert_max_num_queries
):
    def add(count, start):
        with zeal_ignore():
            for number in range(start, start + count):
                lens = make_item(by=admin, network=network, kind=Item.Kind.LENS, title=f"L{number}")
                begin, finish = slot(days=2 + number)
                services.book_equipment(actor=member, item=lens, start=begin, end=finish)

    client.force_login(member)
    add(3, 0)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("lending:equipment"))
    add(10, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("lending:equipment"))


def test_my_bookings_are_an_icalendar_feed(client, camera, member):
    start, end = slot()
    with zeal_ignore():
        services.book_equipment(actor=member, item=camera, start=start, end=end)
    client.force_login(member)

    response = client.get(reverse("lending:bookings_ics"))

    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "Caméra Blackmagic 6K" in body


def test_the_icalendar_feed_needs_a_signed_in_member(client):
    assert client.get(reverse("lending:bookings_ics")).status_code == 302


def test_an_admin_adds_and_removes_equipment_managers(client, network, admin, other_member):
    client.force_login(admin)

    client.post(reverse("lending:equipment_managers", args=[network.slug]), {"username": "nora"})
    assert EquipmentManager.objects.filter(user=other_member).exists()
    client.post(
        reverse("lending:equipment_managers", args=[network.slug]), {"remove": other_member.pk}
    )
    assert not EquipmentManager.objects.filter(user=other_member).exists()
    bad = client.post(
        reverse("lending:equipment_managers", args=[network.slug]), {"remove": "x" * 100}
    )
    assert bad.status_code == 302


def test_only_admins_choose_equipment_managers(client, network, other_member):
    client.force_login(other_member)

    response = client.get(reverse("lending:equipment_managers", args=[network.slug]))

    assert response.status_code == 403


def test_marking_equipment_out_of_order_from_its_page(client, camera, member):
    client.force_login(member)

    client.post(
        reverse("lending:equipment_out_of_order", args=[camera.pk]),
        {"out_of_order": "1", "note": "Capteur HS"},
    )

    camera.refresh_from_db()
    assert camera.is_out_of_order
    assert camera.out_of_order_note == "Capteur HS"


def test_a_non_member_sees_how_to_book(client, camera):
    outsider = UserFactory.create(username="visiteur")
    client.force_login(outsider)

    response = client.get(camera.get_absolute_url())

    assert "can book it" in response.text


def test_a_very_long_list_is_counted_only_up_to_the_cap(client, make_item, monkeypatch):
    monkeypatch.setattr("contrechamp.core.pagination.LIST_CAP", 2)
    many_items(make_item, None, 3)

    capped = client.get(reverse("lending:library"))
    narrowed = client.get(reverse("lending:library"), {"q": "Film 1"})

    assert "More than 1,000 matches" in capped.text
    assert len(capped.context["page_obj"]) == 2
    assert "1 item" in narrowed.text
