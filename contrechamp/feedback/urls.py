from django.urls import URLPattern, path

from contrechamp.feedback import views

app_name = "feedback"

_project = "projects/<slug:slug>/feedback/"

urlpatterns: list[URLPattern] = [
    path("feedback/", views.invitations, name="invitations"),
    path(_project, views.overview, name="overview"),
    path(f"{_project}screenplay/", views.screenplay, name="screenplay"),
    path(f"{_project}screenplay/new/", views.version_new, name="version_new"),
    path(f"{_project}screenplay/v<int:number>/", views.version, name="version"),
    path(
        f"{_project}screenplay/v<int:number>/source/", views.version_source, name="version_source"
    ),
    path(
        f"{_project}screenplay/comments/<int:pk>/resolve/",
        views.screenplay_comment_resolve,
        name="screenplay_comment_resolve",
    ),
    path(f"{_project}cuts/new/", views.cut_new, name="cut_new"),
    path(f"{_project}cuts/<int:pk>/", views.cut, name="cut"),
    path(f"{_project}cuts/<int:pk>/video/", views.cut_video, name="cut_video"),
    path(f"{_project}cuts/<int:pk>/delete/", views.cut_delete, name="cut_delete"),
    path(
        f"{_project}cuts/<int:pk>/comments/<int:comment_pk>/resolve/",
        views.cut_comment_resolve,
        name="cut_comment_resolve",
    ),
    path(
        f"{_project}cuts/<int:pk>/comments.<str:fmt>",
        views.cut_export,
        name="cut_export",
    ),
    path(f"{_project}requests/new/", views.request_new, name="request_new"),
    path(f"{_project}requests/<int:pk>/", views.request_detail, name="request"),
]
