from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "contrechamp.lending"
    label = "lending"
    verbose_name = _("Lending and equipment")

    def ready(self) -> None:
        from contrechamp.accounts import registry
        from contrechamp.core import periodic
        from contrechamp.lending import member_data, services, wanted_offers
        from contrechamp.notifications.kinds import Delivery, Kind, register

        for slug, label, delivery in (
            ("loan_requested", _("Someone asks to borrow one of your items"), Delivery.IMMEDIATE),
            ("loan_accepted", _("Your request to borrow an item is accepted"), Delivery.IMMEDIATE),
            ("loan_declined", _("Your request to borrow an item is declined"), Delivery.DIGEST),
            ("loan_waitlisted", _("You are on the waitlist for an item"), Delivery.DIGEST),
            ("loan_offered", _("An item you waited for is free for you"), Delivery.IMMEDIATE),
            ("loan_claimed", _("A borrower confirms they want your item"), Delivery.IMMEDIATE),
            ("loan_cancelled", _("A loan request is cancelled"), Delivery.DIGEST),
            ("loan_handed_over", _("An item is handed over to you"), Delivery.OFF),
            ("loan_due_soon", _("An item you borrowed goes back soon"), Delivery.IMMEDIATE),
            ("loan_overdue", _("A loan is overdue"), Delivery.IMMEDIATE),
            ("loan_returned", _("The return of an item you borrowed is recorded"), Delivery.OFF),
            ("extension_requested", _("A borrower asks for more time"), Delivery.IMMEDIATE),
            (
                "extension_decided",
                _("The owner answers your request for more time"),
                Delivery.IMMEDIATE,
            ),
            (
                "booking_requested",
                _("Someone asks to book equipment you look after"),
                Delivery.IMMEDIATE,
            ),
            (
                "booking_decided",
                _("Your equipment booking is approved, declined or cancelled"),
                Delivery.IMMEDIATE,
            ),
            ("booking_out_of_order", _("Equipment you booked is out of order"), Delivery.IMMEDIATE),
            ("swap_proposed", _("Someone proposes a swap or asks for an item"), Delivery.IMMEDIATE),
            ("swap_decided", _("A swap you proposed is answered"), Delivery.IMMEDIATE),
            ("urgent_request", _("Someone urgently needs equipment you have"), Delivery.IMMEDIATE),
            (
                "urgent_offer",
                _("An offer for your urgent request, or its answer"),
                Delivery.IMMEDIATE,
            ),
        ):
            register(Kind(slug=f"lending.{slug}", label=label, default_delivery=delivery))

        periodic.register(
            periodic.Job(
                name="lending.due_reminders",
                every=timedelta(hours=1),
                run=services.send_due_reminders,
            )
        )
        periodic.register(
            periodic.Job(
                name="lending.overdue_loans",
                every=timedelta(hours=1),
                run=services.mark_overdue_loans,
            )
        )
        periodic.register(
            periodic.Job(
                name="lending.expire_offers",
                every=timedelta(minutes=15),
                run=services.expire_offers,
            )
        )
        registry.register(
            registry.MemberDataContributor(
                name="lending",
                export=member_data.export_member_lending,
                check_deletion=member_data.ensure_no_item_out,
                anonymise=member_data.withdraw_member_lending,
            )
        )
        wanted_offers.register()
