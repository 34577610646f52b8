from django.urls import URLPattern, path

from contrechamp.stories import views

app_name = "stories"
urlpatterns: list[URLPattern] = [
    path("stories/", views.story_list, name="list"),
    path("stories/new/", views.story_create, name="create"),
    path("stories/mine/", views.mine, name="mine"),
    path("stories/<int:story_id>/", views.story_detail, name="detail"),
    path("stories/<int:story_id>/edit/", views.story_edit, name="edit"),
    path("stories/<int:story_id>/delete/", views.story_delete, name="delete"),
    path("stories/<int:story_id>/images/", views.image_add, name="image_add"),
    path("stories/images/<int:image_id>/remove/", views.image_remove, name="image_remove"),
    path("stories/<int:story_id>/comments/", views.comment_add, name="comment_add"),
    path("stories/comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path(
        "stories/tags/<int:tag_id>/<str:action>/",
        views.tag_answer,
        name="tag_answer",
    ),
    path(
        "stories/network-tags/<int:tag_id>/remove/",
        views.network_tag_remove,
        name="network_tag_remove",
    ),
    path("stories/endorsements/<slug:slug>/", views.endorsements, name="endorsements"),
    path("stories/endorsements/<slug:slug>/recommend/", views.endorse, name="endorse"),
    path(
        "stories/endorsements/<slug:slug>/withdraw/",
        views.endorsement_withdraw,
        name="endorsement_withdraw",
    ),
]
