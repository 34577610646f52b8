"""The venues app's part in a member's data export (registered in `VenuesConfig.ready()`).

The venues a member added stay in the shared directory when their account is closed: they
describe public places, not the member. Their link to the account stays too, so the staff
can still tell the venues of a closed account from those the shipped list loaded.
"""

from contrechamp.accounts.models import User
from contrechamp.venues.models import Venue


def export_member_venues(user: User) -> list[dict[str, object]]:
    """The venues the member added to the directory, oldest first."""
    return [
        {
            "name": venue.name,
            "type": venue.kind,
            "city": venue.city_name,
            "address": venue.address,
            "added_at": venue.created_at.isoformat(),
        }
        for venue in Venue.objects.filter(created_by=user).order_by("created_at", "pk")
    ]
