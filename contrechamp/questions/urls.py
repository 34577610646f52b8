from django.urls import URLPattern, path

from contrechamp.questions import views

app_name = "questions"

urlpatterns: list[URLPattern] = [
    path("questions/", views.question_list, name="list"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/<int:pk>/", views.detail, name="detail"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/edit/", views.edit, name="edit"),
    path("questions/<int:pk>/history/", views.history, name="history"),
    path("questions/<int:pk>/vote/", views.vote, name="vote"),
    path("questions/<int:pk>/comment/", views.comment, name="comment"),
    path("questions/<int:pk>/close/", views.close, name="close"),
    path("questions/answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("questions/answers/<int:pk>/history/", views.answer_history, name="answer_history"),
    path("questions/answers/<int:pk>/vote/", views.answer_vote, name="answer_vote"),
    path("questions/answers/<int:pk>/accept/", views.accept, name="accept"),
    path("questions/answers/<int:pk>/comment/", views.answer_comment, name="answer_comment"),
]
