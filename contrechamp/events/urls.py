from django.urls import URLPattern, path

from contrechamp.events.views import attendance, events, feeds, rights

app_name = "events"
urlpatterns: list[URLPattern] = [
    path("events/", events.agenda, name="agenda"),
    path("events/new/", events.create, name="create"),
    path("events/<int:pk>/", events.detail, name="detail"),
    path("events/<int:pk>/edit/", events.edit, name="edit"),
    path("events/<int:pk>/publish/", events.publish, name="publish"),
    path("events/<int:pk>/cancel/", events.cancel, name="cancel"),
    path("events/<int:pk>/delete/", events.delete, name="delete"),
    path("networks/<slug:slug>/events/", events.network_calendar, name="network_calendar"),
    path("events/<int:pk>/ics", feeds.event_ics, name="event_ics"),
    path("networks/<slug:slug>/events.ics", feeds.network_ics, name="network_ics"),
    path("networks/<slug:slug>/feed.atom", feeds.network_atom, name="network_atom"),
    path("calendar/<slug:token>.ics", feeds.member_ics, name="member_ics"),
    path("me/calendar/", feeds.my_calendar, name="my_calendar"),
    path("rights-holders/", rights.rights_holders, name="rights_holders"),
    path("rights-holders/new/", rights.rights_holder_create, name="rights_holder_create"),
    path("rights-holders/<int:pk>/", rights.rights_holder, name="rights_holder"),
    path("rights-holders/<int:pk>/edit/", rights.rights_holder_edit, name="rights_holder_edit"),
    path(
        "events/<int:event_id>/screenings/<int:screening_id>/rights/",
        rights.screening_rights,
        name="screening_rights",
    ),
    path(
        "events/<int:event_id>/screenings/<int:screening_id>/documents/",
        rights.rights_document_upload,
        name="rights_document_upload",
    ),
    path("rights-documents/<int:pk>/", rights.rights_document, name="rights_document"),
    path(
        "rights-documents/<int:pk>/remove/",
        rights.rights_document_remove,
        name="rights_document_remove",
    ),
    path("networks/<slug:slug>/rights/", rights.rights_checklist, name="rights_checklist"),
    path("events/<int:pk>/rsvp/", attendance.rsvp, name="rsvp"),
    path("events/<int:pk>/attendees/", attendance.attendees, name="attendees"),
    path(
        "events/<int:pk>/attendees/<int:rsvp_pk>/check-in/",
        attendance.check_in,
        name="check_in",
    ),
    path("events/<int:pk>/shifts/", attendance.shifts, name="shifts"),
    path("events/<int:pk>/shifts/<int:shift_pk>/edit/", attendance.shift_edit, name="shift_edit"),
    path(
        "events/<int:pk>/shifts/<int:shift_pk>/remove/",
        attendance.shift_remove,
        name="shift_remove",
    ),
    path("shifts/<int:pk>/sign-up/", attendance.shift_sign_up, name="shift_sign_up"),
    path("shifts/<int:pk>/withdraw/", attendance.shift_withdraw, name="shift_withdraw"),
    path("me/events/", attendance.my_events, name="my_events"),
]
