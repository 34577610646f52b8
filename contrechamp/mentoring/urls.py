from django.urls import URLPattern, path

from contrechamp.mentoring import views
from contrechamp.mentoring.models import SkillListing

app_name = "mentoring"

OFFER = {"kind": SkillListing.Kind.OFFER.value}
REQUEST = {"kind": SkillListing.Kind.REQUEST.value}

urlpatterns: list[URLPattern] = [
    path("mentoring/", views.home, name="home"),
    path("mentoring/offers/", views.listings, OFFER, name="offers"),
    path("mentoring/offers/new/", views.listing_create, OFFER, name="offer_create"),
    path("mentoring/offers/<int:pk>/", views.listing_detail, OFFER, name="offer_detail"),
    path("mentoring/offers/<int:pk>/edit/", views.listing_edit, OFFER, name="offer_edit"),
    path("mentoring/offers/<int:pk>/status/", views.listing_status, OFFER, name="offer_status"),
    path("mentoring/requests/", views.listings, REQUEST, name="requests"),
    path("mentoring/requests/new/", views.listing_create, REQUEST, name="request_create"),
    path("mentoring/requests/<int:pk>/", views.listing_detail, REQUEST, name="request_detail"),
    path("mentoring/requests/<int:pk>/edit/", views.listing_edit, REQUEST, name="request_edit"),
    path(
        "mentoring/requests/<int:pk>/status/",
        views.listing_status,
        REQUEST,
        name="request_status",
    ),
    path("mentoring/mentors/", views.mentors, name="mentors"),
    path("mentoring/mentors/<str:username>/", views.mentor_detail, name="mentor"),
    path("mentoring/profile/", views.profile_edit, name="profile"),
    path("mentoring/mentorships/", views.mentorships, name="mentorships"),
    path("mentoring/mentorships/<int:pk>/", views.mentorship_detail, name="mentorship"),
    path(
        "mentoring/mentorships/<int:pk>/<slug:action>/",
        views.mentorship_action,
        name="mentorship_action",
    ),
]
