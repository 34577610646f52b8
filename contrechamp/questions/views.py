"""Questions and answers pages: find the object the visitor may see, bind the form, call
a service. A refusal is shown beside the form with what was typed (DomainError), or as
the designed 403 page (PermissionDenied)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contrechamp.accounts.requests import posted_data, signed_in_member
from contrechamp.core.errors import DomainError
from contrechamp.core.pagination import paginate_capped
from contrechamp.questions import permissions, queries, services
from contrechamp.questions.forms import (
    AnswerForm,
    CloseForm,
    CommentForm,
    QuestionForm,
    VoteForm,
)
from contrechamp.questions.models import Answer, Question

PER_PAGE = 20


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    """Open questions: newest, unanswered or most voted; by category, tag, network, words."""
    filters = queries.ListFilters.from_query(request.GET)
    page = paginate_capped(request, queries.question_list(request.user, filters), PER_PAGE)
    context = {
        "filters": filters,
        "page_obj": page,
        "categories": queries.categories(),
        "networks": queries.member_networks(request.user),
        "sorts": [
            ("newest", _("Newest")),
            ("unanswered", _("Unanswered")),
            ("votes", _("Most voted")),
        ],
    }
    return render(request, "questions/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    actor = signed_in_member(request)
    networks = queries.member_networks(actor)
    form = QuestionForm(posted_data(request), networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.ask_question(
                actor=actor, details=form.details(), network=form.cleaned_data["network"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your question is posted."))
            return redirect(question)
    return render(request, "questions/question_form.html", {"form": form, "question": None})


def _question(request: HttpRequest, pk: int) -> Question:
    question = queries.question_page(request.user, pk)
    if question is None:
        raise Http404
    return question


def _answer(request: HttpRequest, pk: int) -> Answer:
    answer = queries.answer_for_edit(request.user, pk)
    if answer is None:
        raise Http404
    return answer


def _detail_context(request: HttpRequest, question: Question, **forms: Any) -> dict[str, Any]:
    page = queries.answers_page(request.user, question, request.GET.get("page"))
    shown: list[Answer] = list(page.object_list)
    authors = [question.author, *(a.author for a in shown)]
    user = request.user
    context: dict[str, Any] = {
        "question": question,
        "page_obj": page,
        "answers": shown,
        "reputations": queries.reputations(authors),
        "is_asker": user.is_authenticated and question.author_id == user.pk,
        "is_moderator": permissions.is_moderator(user, question),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "comment_form": CommentForm(),
        "json_ld": queries.qa_page_json_ld(
            question, shown, url=request.build_absolute_uri(question.get_absolute_url())
        )
        if question.is_public
        else None,
    }
    return context


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A question with its answers, accepted first then by score; a question closed as a
    duplicate leads to its original."""
    question = _question(request, pk)
    if question.duplicate_of is not None:
        messages.info(
            request,
            _("“%(title)s” was closed as a duplicate of this question; its answers are here.")
            % {"title": question.title},
        )
        return redirect(question.duplicate_of)
    return render(request, "questions/detail.html", _detail_context(request, question))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    question = _question(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            created = services.answer_question(
                actor=actor, question=question, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect(created)
    context = _detail_context(request, question, answer_form=form)
    return render(request, "questions/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    question = _question(request, pk)
    permissions.ensure_can_edit_question(actor, question)
    initial = {
        "title": question.title,
        "body": question.body,
        "category": question.category,
        "tags": ", ".join(tag.slug for tag in question.tags.all()),
    }
    form = QuestionForm(posted_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_question(actor=actor, question=question, details=form.details())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The question is saved."))
            return redirect(question)
    return render(request, "questions/question_form.html", {"form": form, "question": question})


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    found = _answer(request, pk)
    permissions.ensure_can_edit_answer(actor, found)
    form = AnswerForm(posted_data(request), initial={"body": found.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_answer(actor=actor, answer=found, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The answer is saved."))
            return redirect(found)
    return render(request, "questions/answer_form.html", {"form": form, "answer": found})


@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question(request, pk)
    context = {
        "question": question,
        "post": question,
        "revisions": queries.history(question=question),
    }
    return render(request, "questions/history.html", context)


@require_GET
def answer_history(request: HttpRequest, pk: int) -> HttpResponse:
    found = _answer(request, pk)
    context = {
        "question": found.question,
        "post": found,
        "revisions": queries.history(answer=found),
    }
    return render(request, "questions/history.html", context)


def _vote_value(request: HttpRequest) -> int:
    form = VoteForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("A vote is +1, -1, or 0 to take it back."))
    value: int = form.cleaned_data["value"]
    return value


def _back(request: HttpRequest, question_id: int, fragment: str = "") -> HttpResponse:
    return redirect(f"{Question(pk=question_id).get_absolute_url()}{fragment}")


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    question = _question(request, pk)
    try:
        services.vote_question(actor=actor, question=question, value=_vote_value(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(request, question.pk)


@login_required
@require_POST
def answer_vote(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    found = _answer(request, pk)
    try:
        services.vote_answer(actor=actor, answer=found, value=_vote_value(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(request, found.question_id, f"#answer-{found.pk}")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    found = _answer(request, pk)
    try:
        accepted = services.accept_answer(actor=actor, answer=found)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if accepted.is_accepted:
            messages.success(request, _("You accepted this answer: it now comes first."))
        else:
            messages.success(request, _("The answer is no longer accepted."))
    return _back(request, found.question_id, f"#answer-{found.pk}")


def _first_error(form: CommentForm) -> str:
    errors = form.errors.get("body")
    return str(errors[0]) if errors else _("The comment cannot be empty.")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    question = _question(request, pk)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_first_error(form))
        services.comment_question(actor=actor, question=question, body=form.cleaned_data["body"])
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(request, question.pk, "#question-comments")


@login_required
@require_POST
def answer_comment(request: HttpRequest, pk: int) -> HttpResponse:
    actor = signed_in_member(request)
    found = _answer(request, pk)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_first_error(form))
        services.comment_answer(actor=actor, answer=found, body=form.cleaned_data["body"])
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(request, found.question_id, f"#answer-{found.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator closes the question as a duplicate of another."""
    actor = signed_in_member(request)
    question = _question(request, pk)
    permissions.ensure_moderator(actor, question)
    form = CloseForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        original = queries.question_page(actor, form.cleaned_data["original"])
        if original is None:
            form.add_error("original", _("No question you can see has this number."))
        else:
            try:
                services.close_as_duplicate(actor=actor, question=question, original=original)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("Closed as a duplicate: its answers moved here."))
                return redirect(original)
    return render(request, "questions/close.html", {"form": form, "question": question})
