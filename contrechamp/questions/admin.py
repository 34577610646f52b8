from django.contrib import admin

from contrechamp.questions.models import Answer, Category, Question, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("slug", "name_fr", "name_en", "position")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ("slug",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ("title", "author", "category", "network", "score", "answer_count")
    list_select_related = ("author", "category", "network")
    raw_id_fields = ("author", "network", "accepted_answer", "duplicate_of", "closed_by")
    readonly_fields = ("score", "answer_count")


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin[Answer]):
    list_display = ("pk", "question", "author", "score", "is_accepted")
    list_select_related = ("question", "author")
    raw_id_fields = ("question", "author")
    readonly_fields = ("score", "is_accepted")
