"""The films app's part in a member's data export and account deletion.

Registered with `contrechamp.accounts.registry` in `FilmsConfig.ready()`.
"""

from django.db import transaction

from contrechamp.accounts.models import User
from contrechamp.films.models import Availability, Rating, Recommendation, WatchlistEntry


def export_member_films(user: User) -> dict[str, list[dict[str, object]]]:
    """Ratings, watchlist, recommendations written and availability entries added."""
    ratings = Rating.objects.filter(user=user).select_related("film").order_by("pk")
    watchlist = WatchlistEntry.objects.filter(user=user).select_related("film").order_by("pk")
    added = Availability.objects.filter(added_by=user).select_related("film").order_by("pk")
    recommendations = (
        Recommendation.objects.filter(author=user)
        .select_related("film", "network", "recipient")
        .order_by("pk")
    )
    return {
        "ratings": [
            {
                "film": r.film.title,
                "year": r.film.year,
                "stars": r.stars,
                "rated_at": r.rated_at.isoformat(),
            }
            for r in ratings
        ],
        "watchlist": [
            {"film": w.film.title, "year": w.film.year, "added_at": w.added_at.isoformat()}
            for w in watchlist
        ],
        "recommendations": [
            {
                "film": r.film.title,
                "year": r.film.year,
                "why": r.why,
                "tags": r.tag_list,
                "audience": r.audience,
                "network": r.network.name if r.network else None,
                "recipient": r.recipient.username if r.recipient else None,
                "created_at": r.created_at.isoformat(),
            }
            for r in recommendations
        ],
        "availability_added": [
            {
                "film": a.film.title,
                "year": a.film.year,
                "kind": a.kind,
                "place": a.place,
                "url": a.url,
                "territory": a.territory,
                "added_at": a.added_at.isoformat(),
            }
            for a in added
        ],
    }


@transaction.atomic
def forget_member_films(user: User) -> None:
    """Inside the deletion transaction: ratings and watchlist are personal and go;
    recommendations and availability entries help others and stay, shown under the
    anonymised account ("Former member")."""
    Rating.objects.filter(user=user).delete()
    WatchlistEntry.objects.filter(user=user).delete()
