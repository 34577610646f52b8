"""Screening rights: the shared directory of rights holders, the rights recorded for each
screening of an event, and the directory shipped with the project."""

import io
import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from contrechamp.accounts.tests.factories import UserFactory
from contrechamp.core.errors import Conflict, DomainError
from contrechamp.events.models import Event, RightsHolder, Screening
from contrechamp.events.queries.rights import rights_panel
from contrechamp.events.services import rights
from contrechamp.events.services.rights import RightsHolderDetails
from contrechamp.events.tests.conftest import next_week_at
from contrechamp.films import services as film_services

pytestmark = pytest.mark.django_db

Status = Screening.RightsStatus


def add_holder(actor, name="Ciné Tamaris", kind=RightsHolder.Kind.PRODUCER, **fields):
    return rights.create_rights_holder(
        actor=actor, details=RightsHolderDetails(name=name, kind=kind, **fields)
    )


@pytest.fixture
def cleo(event, organiser):
    """*Cléo de 5 à 7*, a film under rights, second on the programme of `event`."""
    film = film_services.create_film(
        actor=organiser, title="Cléo de 5 à 7", year=1962, directors=["Agnès Varda"]
    )
    return Screening.objects.create(event=event, film=film, position=1)


@pytest.fixture
def tamaris(organiser):
    return add_holder(organiser)


def record(actor, screening, **overrides):
    values: dict[str, Any] = {
        "holder": None,
        "status": Status.TO_REQUEST,
        "licence_reference": "",
        "fee": None,
        "requested_on": None,
        "answered_on": None,
        "notes": "",
    }
    values.update(overrides)
    return rights.record_rights(actor=actor, screening=screening, **values)


# --- The directory


def test_any_member_can_add_a_rights_holder_to_the_shared_directory(member):
    holder = add_holder(
        member,
        name="  Ciné   Tamaris ",
        website="https://example.org/tamaris",
        email="droits@example.org",
        phone="+33 1 23 45 67 89",
        how_to_request="Write to them with the **date** and the venue.",
        notes="Answers within a week.",
    )

    holder.refresh_from_db()
    assert holder.name == "Ciné Tamaris"
    assert holder.name_normalised == "cine tamaris"
    assert holder.created_by == member
    assert holder.updated_by == member
    assert holder.notes == "Answers within a week."


def test_a_member_improves_an_entry_another_member_wrote(member, outsider, tamaris):
    written_at = tamaris.updated_at

    updated = rights.update_rights_holder(
        actor=outsider,
        holder=tamaris,
        details=RightsHolderDetails(
            name="Ciné-Tamaris", kind=RightsHolder.Kind.PRODUCER, notes="Ask for the DCP."
        ),
    )

    updated.refresh_from_db()
    assert updated.name == "Ciné-Tamaris"
    assert updated.notes == "Ask for the DCP."
    assert updated.updated_by == outsider
    assert updated.created_by != outsider
    assert updated.updated_at >= written_at


def test_a_member_who_has_not_accepted_the_code_of_conduct_cannot_add_a_holder(member):
    member.code_of_conduct_version = 0
    member.save()

    with pytest.raises(DomainError, match="code of conduct"):
        add_holder(member)
    assert not RightsHolder.objects.exists()


def test_a_closed_account_cannot_edit_the_directory(member, tamaris):
    member.deleted_at = timezone.now()
    member.save()

    with pytest.raises(PermissionDenied):
        rights.update_rights_holder(
            actor=member,
            holder=tamaris,
            details=RightsHolderDetails(name="Vandalised", kind=RightsHolder.Kind.OTHER),
        )
    tamaris.refresh_from_db()
    assert tamaris.name == "Ciné Tamaris"


@pytest.mark.parametrize(
    "again", ["Ciné Tamaris", "cine tamaris", "CINÉ-TAMARIS", " Ciné  Tamaris"]
)
def test_a_name_already_in_the_directory_is_refused_naming_the_existing_entry(
    member, tamaris, again
):
    with pytest.raises(Conflict, match="“Ciné Tamaris” is already in the directory"):
        add_holder(member, name=again)
    assert RightsHolder.objects.count() == 1


def test_renaming_a_holder_to_another_holders_name_is_refused(member, tamaris):
    lobster = add_holder(member, name="Lobster Films", kind=RightsHolder.Kind.CINEMATHEQUE)

    with pytest.raises(Conflict, match="Ciné Tamaris"):
        rights.update_rights_holder(
            actor=member,
            holder=lobster,
            details=RightsHolderDetails(name="ciné tamaris", kind=RightsHolder.Kind.OTHER),
        )
    renamed = rights.update_rights_holder(
        actor=member,
        holder=tamaris,
        details=RightsHolderDetails(name="CINÉ TAMARIS", kind=RightsHolder.Kind.PRODUCER),
    )
    assert renamed.name == "CINÉ TAMARIS"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "letters or digits"),
        ({"name": " -- ' "}, "letters or digits"),
        ({"name": "x" * 151}, "too long"),
        ({"kind": "studio"}, "type of rights holder"),
        ({"website": "javascript:alert(1)"}, "full address"),
        ({"website": "tamaris dot fr"}, "full address"),
        ({"website": "https://example.org/" + "a" * 200}, "too long"),
        ({"email": "droits at tamaris"}, "valid email"),
        ({"phone": "call them"}, "phone number"),
        ({"phone": "0" * 31}, "too long"),
        ({"how_to_request": "x" * 5001}, "too long"),
        ({"notes": "x" * 5001}, "too long"),
    ],
)
def test_bad_holder_details_are_refused(member, fields, message):
    details = {"name": "Potemkine Films", "kind": RightsHolder.Kind.DISTRIBUTOR, **fields}

    with pytest.raises(DomainError, match=message):
        rights.create_rights_holder(actor=member, details=RightsHolderDetails(**details))
    assert not RightsHolder.objects.exists()


def test_nul_characters_never_reach_the_database(member):
    holder = add_holder(member, name="Lobster\x00 Films", notes="Ask\x00 Serge.")

    holder.refresh_from_db()
    assert holder.name == "Lobster Films"
    assert holder.notes == "Ask Serge."


@pytest.mark.django_db(transaction=True)
def test_the_same_holder_added_at_once_by_several_members_is_listed_once():
    people = UserFactory.create_batch(8)
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def add(person):
        try:
            barrier.wait(timeout=30)
            add_holder(person, name="Les Films du Losange", kind=RightsHolder.Kind.DISTRIBUTOR)
            outcome = "ok"
        except Conflict:
            outcome = "conflict"
        except Exception as error:  # any other failure is what this test looks for
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=add, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["conflict"] * (len(people) - 1) + ["ok"]
    assert RightsHolder.objects.count() == 1


# --- The rights of a screening


def test_an_organiser_records_granted_rights_with_holder_licence_and_fee(
    organiser, event, cleo, tamaris
):
    today = timezone.localdate()

    recorded = record(
        organiser,
        cleo,
        holder=tamaris,
        status=Status.GRANTED,
        licence_reference=" CT-2026-041 ",
        fee=Decimal("120.5"),
        requested_on=today - timedelta(days=10),
        answered_on=today - timedelta(days=3),
        notes="Fee paid by transfer.\r\nDCP sent by post.",
    )

    assert not recorded.made_members_only
    cleo.refresh_from_db()
    assert cleo.rights_holder == tamaris
    assert cleo.rights_status == Status.GRANTED
    assert cleo.licence_reference == "CT-2026-041"
    assert cleo.fee == Decimal("120.50")
    assert cleo.rights_answered_on == today - timedelta(days=3)
    assert cleo.rights_notes == "Fee paid by transfer.\nDCP sent by post."
    assert cleo.rights_updated_by == organiser
    assert cleo.rights_updated_at is not None
    assert cleo.cleared_for_public


def test_a_co_organiser_records_rights_too(co_organiser, cleo, tamaris):
    record(co_organiser, cleo, holder=tamaris, status=Status.REQUESTED)

    cleo.refresh_from_db()
    assert cleo.rights_status == Status.REQUESTED
    assert cleo.rights_updated_by == co_organiser


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_members_and_outsiders_cannot_record_rights(request, cleo, tamaris, persona):
    person = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        record(person, cleo, holder=tamaris, status=Status.GRANTED)
    cleo.refresh_from_db()
    assert cleo.rights_status == Status.TO_REQUEST
    assert cleo.rights_updated_by is None


def test_granted_rights_need_a_holder(organiser, cleo):
    with pytest.raises(DomainError, match="Granted rights come from someone"):
        record(organiser, cleo, status=Status.GRANTED, licence_reference="CT-1")
    cleo.refresh_from_db()
    assert cleo.rights_status == Status.TO_REQUEST


def test_granted_rights_without_a_licence_reference_are_kept_and_shown_as_missing(
    organiser, event, cleo, tamaris
):
    record(organiser, cleo, holder=tamaris, status=Status.GRANTED)

    panel = rights_panel(event=event, viewer=organiser)

    assert panel is not None
    row = next(row for row in panel.screenings if row.screening.pk == cleo.pk)
    assert row.cleared_for_public
    assert row.licence_missing


def test_a_film_in_the_public_domain_needs_no_holder(organiser, cleo):
    record(organiser, cleo, status=Status.PUBLIC_DOMAIN)

    cleo.refresh_from_db()
    assert cleo.rights_holder is None
    assert cleo.cleared_for_public


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        (Decimal(-1), "zero or more"),
        (Decimal("-0.01"), "zero or more"),
        (Decimal("12.345"), "two decimals"),
        (Decimal(10**9), "typing slip"),
        (Decimal("100000.01"), "typing slip"),
        (Decimal("NaN"), "zero or more"),
        (Decimal("Infinity"), "zero or more"),
    ],
)
def test_bad_fees_are_refused(organiser, cleo, tamaris, fee, message):
    with pytest.raises(DomainError, match=message):
        record(organiser, cleo, holder=tamaris, status=Status.GRANTED, fee=fee)
    cleo.refresh_from_db()
    assert cleo.fee is None


def test_a_fee_written_with_trailing_zeros_is_kept_in_cents(organiser, cleo, tamaris):
    record(organiser, cleo, holder=tamaris, status=Status.GRANTED, fee=Decimal("80.500"))

    cleo.refresh_from_db()
    assert cleo.fee == Decimal("80.50")


def test_an_answer_before_the_request_is_refused(organiser, cleo, tamaris):
    today = timezone.localdate()

    with pytest.raises(DomainError, match="answer cannot come before the request"):
        record(
            organiser,
            cleo,
            holder=tamaris,
            status=Status.REFUSED,
            requested_on=today - timedelta(days=2),
            answered_on=today - timedelta(days=5),
        )


@pytest.mark.parametrize("field", ["requested_on", "answered_on"])
def test_dates_in_the_future_are_refused(organiser, cleo, tamaris, field):
    with pytest.raises(DomainError, match="cannot be in the future"):
        record(
            organiser,
            cleo,
            holder=tamaris,
            status=Status.REQUESTED,
            **{field: timezone.localdate() + timedelta(days=40)},
        )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": "stolen"}, "from the list"),
        ({"status": ""}, "from the list"),
        ({"licence_reference": "R" * 101}, "too long"),
        ({"notes": "n" * 5001}, "too long"),
    ],
)
def test_other_bad_rights_input_is_refused(organiser, cleo, overrides, message):
    with pytest.raises(DomainError, match=message):
        record(organiser, cleo, **overrides)


def test_a_private_circle_turns_a_public_event_members_only(organiser, event, cleo):
    recorded = record(organiser, cleo, status=Status.PRIVATE_CIRCLE)

    assert recorded.made_members_only
    assert "now for members only" in str(rights.PRIVATE_CIRCLE_NOTICE)
    event.refresh_from_db()
    assert event.visibility == Event.Visibility.MEMBERS


def test_a_private_circle_at_a_members_only_event_changes_nothing_else(organiser, event, cleo):
    event.visibility = Event.Visibility.MEMBERS
    event.save()

    recorded = record(organiser, cleo, status=Status.PRIVATE_CIRCLE)

    assert not recorded.made_members_only
    event.refresh_from_db()
    assert event.visibility == Event.Visibility.MEMBERS


def test_rights_are_recorded_after_the_showing_and_for_a_cancelled_event(
    organiser, club, film, tamaris
):
    starts_at = next_week_at(20, 30, days=-30)
    past = Event.objects.create(
        network=club,
        kind=Event.Kind.SCREENING,
        title="Séance passée",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        status=Event.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    screening = Screening.objects.create(event=past, film=film)

    record(organiser, screening, holder=tamaris, status=Status.REFUSED)

    screening.refresh_from_db()
    assert screening.rights_status == Status.REFUSED


def test_a_screening_removed_meanwhile_is_a_conflict_not_an_error(organiser, cleo):
    Screening.objects.filter(pk=cleo.pk).delete()

    with pytest.raises(Conflict, match="no longer part of the event"):
        record(organiser, cleo, status=Status.PUBLIC_DOMAIN)


def test_a_holder_removed_meanwhile_is_a_conflict_not_an_error(organiser, cleo, tamaris):
    RightsHolder.objects.filter(pk=tamaris.pk).delete()

    with pytest.raises(Conflict, match="no longer in the directory"):
        record(organiser, cleo, holder=tamaris, status=Status.GRANTED)


def test_the_rights_panel_is_for_organisers_only(event, organiser, member, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert rights_panel(event=event, viewer=organiser) is not None
    assert rights_panel(event=event, viewer=member) is None
    assert rights_panel(event=event, viewer=outsider) is None
    assert rights_panel(event=event, viewer=AnonymousUser()) is None


def test_the_panel_warns_about_a_public_event_showing_a_film_without_rights(
    organiser, event, cleo, tamaris
):
    panel = rights_panel(event=event, viewer=organiser)
    assert panel is not None
    assert panel.warns
    assert [row.screening.pk for row in panel.missing] == [cleo.pk]

    record(organiser, cleo, holder=tamaris, status=Status.GRANTED, licence_reference="CT-1")

    panel = rights_panel(event=event, viewer=organiser)
    assert panel is not None
    assert not panel.warns
    assert panel.missing == ()


def test_the_panel_does_not_warn_for_a_members_only_event(organiser, event, cleo):
    event.visibility = Event.Visibility.MEMBERS
    event.save()

    panel = rights_panel(event=event, viewer=organiser)

    assert panel is not None
    assert not panel.warns
    assert len(panel.missing) == 1


# --- The directory shipped with the project


def load(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_rights_holders", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_shipped_directory_loads_and_loading_it_again_adds_nothing():
    first = load()
    count = RightsHolder.objects.count()

    second = load()

    assert count >= 20
    assert f"{count} rows: {count} added, 0 completed, 0 unchanged." in first
    assert f"{count} rows: 0 added, 0 completed, {count} unchanged." in second
    assert RightsHolder.objects.count() == count
    assert RightsHolder.objects.filter(name="La Cinémathèque française").exists()
    # Only public facts are shipped: no invented contact or notes.
    assert not RightsHolder.objects.exclude(email="", phone="", notes="", how_to_request="")


def test_loading_completes_a_missing_website_and_keeps_what_members_wrote(member):
    written = add_holder(
        member,
        name="la cinematheque francaise",
        kind=RightsHolder.Kind.OTHER,
        notes="Ask the programming office.",
    )
    lumiere = add_holder(
        member,
        name="Institut Lumière",
        kind=RightsHolder.Kind.CINEMATHEQUE,
        website="https://example.org/lumiere",
    )

    output = load()

    written.refresh_from_db()
    lumiere.refresh_from_db()
    assert "1 completed, 1 unchanged" in output
    assert written.website == "https://www.cinematheque.fr"
    assert written.notes == "Ask the programming office."
    assert written.kind == RightsHolder.Kind.OTHER
    assert lumiere.website == "https://example.org/lumiere"


@pytest.mark.parametrize(
    "content",
    [
        "name,kind,website\nLobster Films,cinematheque,\nCarlotta Films,studio,\n",
        "name,kind,website\nLobster Films,cinematheque,\nLOBSTER FILMS,distributor,\n",
        "name,kind,website\nLobster Films,cinematheque,ftp://lobster\n",
        "nom,type\nLobster Films,cinematheque\n",
    ],
)
def test_a_bad_row_loads_nothing(tmp_path, content):
    path = tmp_path / "holders.csv"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing loaded"):
        load("--file", str(path))
    assert not RightsHolder.objects.exists()


def test_a_rejected_row_is_named_by_its_line(tmp_path):
    path = tmp_path / "holders.csv"
    path.write_text(
        'name,kind\n"Lobster\nFilms",cinematheque\nCarlotta Films,studio\n', encoding="utf-8"
    )
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("load_rights_holders", "--file", str(path), stderr=err)
    assert err.getvalue().startswith("line 4: Choose a type of rights holder")


def test_a_file_that_cannot_be_read_is_a_clear_error(tmp_path):
    path = tmp_path / "holders.csv"
    path.write_bytes(b"name,kind\n\xff\xfe\n")

    with pytest.raises(CommandError, match="Cannot read"):
        load("--file", str(path))


def test_only_staff_may_load_holders_in_bulk(member):
    with pytest.raises(PermissionDenied):
        rights.load_rights_holders(actor=member, data="name,kind\nLobster Films,cinematheque\n")
    assert not RightsHolder.objects.exists()
