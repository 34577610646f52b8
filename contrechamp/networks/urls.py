from django.urls import path

from contrechamp.networks import views

app_name = "networks"
urlpatterns = [
    path("", views.home, name="home"),
    path("networks/", views.directory, name="directory"),
    path("networks/new/", views.create, name="create"),
    path("networks/<slug:slug>/", views.detail, name="detail"),
    path("networks/<slug:slug>/edit/", views.edit, name="edit"),
    path("networks/<slug:slug>/join/", views.join, name="join"),
    path("networks/<slug:slug>/leave/", views.leave, name="leave"),
    path("networks/<slug:slug>/members/", views.members, name="members"),
    path("networks/<slug:slug>/members/remove/", views.remove_member, name="remove_member"),
    path("networks/<slug:slug>/requests/", views.requests, name="requests"),
    path("networks/<slug:slug>/invite/", views.invite, name="invite"),
    path("networks/<slug:slug>/charter/", views.charter, name="charter"),
    path("networks/<slug:slug>/charter/accept/", views.accept_charter, name="accept_charter"),
    path("networks/<slug:slug>/roles/", views.roles, name="roles"),
    path("networks/<slug:slug>/roles/assign/", views.assign_role, name="assign_role"),
    path("networks/<slug:slug>/roles/revoke/", views.revoke_role, name="revoke_role"),
    path("networks/<slug:slug>/roles/handover/", views.hand_over, name="hand_over"),
]
