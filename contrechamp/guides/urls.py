from django.urls import URLPattern, path

from contrechamp.guides import views

app_name = "guides"
urlpatterns: list[URLPattern] = [
    path("guides/", views.guide_list, name="list"),
    path("guides/new/", views.guide_create, name="create"),
    path("guides/<int:pk>/", views.guide_detail, name="detail"),
    path("guides/<int:pk>/edit/", views.guide_edit, name="edit"),
    path("guides/<int:pk>/sharing/", views.guide_sharing, name="sharing"),
    path("guides/<int:pk>/editors/", views.editor_add, name="editor_add"),
    path(
        "guides/<int:pk>/editors/<int:user_id>/remove/",
        views.editor_remove,
        name="editor_remove",
    ),
    path("guides/<int:pk>/delete/", views.guide_delete, name="delete"),
    path("guides/<int:pk>/history/", views.guide_history, name="history"),
    path("guides/<int:pk>/diff/", views.guide_diff, name="diff"),
    path("guides/<int:pk>/versions/<int:number>/", views.guide_version, name="version"),
    path(
        "guides/<int:pk>/versions/<int:number>/restore/",
        views.version_restore,
        name="restore",
    ),
    path("guides/<int:pk>/files/", views.attachment_add, name="attachment_add"),
    path("guides/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("guides/files/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("guides/<int:pk>/helped/", views.guide_helpful, name="helpful"),
]
