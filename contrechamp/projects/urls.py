from django.urls import URLPattern, path

from contrechamp.projects import views

app_name = "projects"

urlpatterns: list[URLPattern] = [
    path("projects/", views.project_list, name="list"),
    path("projects/new/", views.project_create, name="create"),
    path("projects/mine/", views.mine, name="mine"),
    path("projects/call-sheets/", views.my_call_sheets, name="my_call_sheets"),
    path("projects/availability/", views.availability, name="availability"),
    path(
        "projects/availability/<int:pk>/remove/",
        views.availability_remove,
        name="availability_remove",
    ),
    path("calls/", views.call_list, name="calls"),
    path("projects/<slug:slug>/", views.project_detail, name="detail"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="edit"),
    path("projects/<slug:slug>/team/", views.team, name="team"),
    path("projects/<slug:slug>/team/<int:pk>/", views.team_update, name="team_update"),
    path("projects/<slug:slug>/team/<int:pk>/remove/", views.team_remove, name="team_remove"),
    path("projects/<slug:slug>/calls/new/", views.call_create, name="call_create"),
    path("projects/<slug:slug>/calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("projects/<slug:slug>/calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("projects/<slug:slug>/calls/<int:pk>/status/", views.call_status, name="call_status"),
    path("projects/<slug:slug>/calls/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "projects/<slug:slug>/calls/<int:pk>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "projects/<slug:slug>/calls/<int:pk>/applications/<int:application_pk>/",
        views.application_decide,
        name="application_decide",
    ),
    path("projects/<slug:slug>/days/new/", views.day_create, name="day_create"),
    path("projects/<slug:slug>/days/<int:pk>/", views.call_sheet, name="call_sheet"),
    path("projects/<slug:slug>/days/<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("projects/<slug:slug>/tasks/", views.task_add, name="task_add"),
    path("projects/<slug:slug>/tasks/<int:pk>/", views.task_update, name="task_update"),
    path("projects/<slug:slug>/files/", views.file_upload, name="file_upload"),
    path("projects/<slug:slug>/files/<int:pk>/", views.file_download, name="file_download"),
    path("projects/<slug:slug>/files/<int:pk>/delete/", views.file_delete, name="file_delete"),
]
