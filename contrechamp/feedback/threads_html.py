"""The HTML of a list of comment threads, for the screenplay and cut pages.

A screenplay may carry a thousand threads, each with its replies, a reply form and a
resolve button: through a template, that is some forty template nodes per thread and most
of the page's time. The list is therefore built here in one pass, like the screenplay
itself (rendering.py): the labels are translated once, every piece of text a member typed
goes through `escape` (or `linebreaksbr`, which escapes), and the markup is the one the
page's styles and scripts expect:

    article.thread#comment-N (aria-labelledby its h3) > h3.thread__meta, blockquote
    .thread__quote, p.thread__meta (older version), div.thread__body, ul.thread__replies,
    details > form (reply), form.inline-form (resolve, for the team)
"""

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.urls import reverse
from django.utils.formats import date_format, get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext as _

from contrechamp.feedback.models import Cut, CutComment, ScreenplayComment
from contrechamp.feedback.queries import Reply
from contrechamp.projects.models import Project

type Thread = ScreenplayComment | CutComment


@dataclass(frozen=True)
class Page:
    """What every thread of a page shares."""

    project: Project
    csrf_token: str
    # Where a reply is posted (the page's URL).
    post_url: str
    can_reply: bool
    on_team: bool
    # The thread a reply was just posted to and refused, with its bound form.
    reply_to: int | None = None
    reply_form: forms.Form | None = None
    # Screenplay pages quote the text a thread is about.
    quote: bool = False
    # Cut pages: the cut, and whether its timecodes seek the in-page player.
    cut: Cut | None = None
    seekable: bool = False


_NEWLINES = re.compile(r"\r\n|\r")


def escape(text: object) -> str:
    """Django's `escape` (the same `html.escape`), without its lazy-string wrapper."""
    return html.escape(str(text))


def linebreaksbr(text: str) -> str:
    """Django's `linebreaksbr` filter: the text escaped, its line breaks as <br>."""
    return html.escape(_NEWLINES.sub("\n", text)).replace("\n", "<br>")


# Format letters that show less than a minute (seconds, microseconds, full timestamps).
_FINER_THAN_MINUTES = frozenset("sucrUv")


class _Dates:
    """`{{ value|date:"SHORT_DATETIME_FORMAT" }}`, remembered per minute when the format
    shows nothing finer: comments of a busy screenplay share their minutes."""

    def __init__(self) -> None:
        self.by_minute = not (_FINER_THAN_MINUTES & set(get_format("SHORT_DATETIME_FORMAT")))
        self.seen: dict[datetime, str] = {}
        self.zone = get_current_timezone()

    def __call__(self, value: datetime) -> str:
        local = value.astimezone(self.zone)
        if not self.by_minute:
            return date_format(local, "SHORT_DATETIME_FORMAT")
        minute = local.replace(second=0, microsecond=0)
        text = self.seen.get(minute)
        if text is None:
            text = self.seen[minute] = date_format(local, "SHORT_DATETIME_FORMAT")
        return text


class _Renderer:
    def __init__(self, page: Page, replies: Mapping[int, Sequence[Reply]] | None) -> None:
        self.page = page
        self.replies_by_thread = replies
        self.when = _Dates()
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(page.csrf_token)}">'
        )
        self.resolved = escape(_("Resolved"))
        self.replies = escape(_("Replies"))
        self.reply = escape(_("Reply"))
        self.your_reply = escape(_("Your reply"))
        self.send = escape(_("Send the reply"))
        self.reopen = escape(_("Open again"))
        self.resolve = escape(_("Mark resolved"))
        self.line = _("Line %(line)s")
        self.scene = _("Scene %(scene)s")
        self.written_on = _("Written on version %(number)s")
        self.post_url = escape(page.post_url)
        # The resolve URL of thread 0, as a pattern for the others: one `reverse` per page.
        if page.cut is not None:
            sample = reverse(
                "feedback:cut_comment_resolve", args=[page.project.slug, page.cut.pk, 0]
            )
        else:
            sample = reverse("feedback:screenplay_comment_resolve", args=[page.project.slug, 0])
        self.resolve_head, _zero, self.resolve_tail = sample.rpartition("/0/")

    def resolve_url(self, pk: int) -> str:
        return escape(f"{self.resolve_head}/{pk}/{self.resolve_tail}")

    def anchor(self, thread: Thread) -> str:
        if isinstance(thread, CutComment):
            label = escape(thread.timecode_label)
            if self.page.seekable:
                return (
                    f'<a href="#comment-{thread.pk}" class="timecode" '
                    f'data-seek-frame="{thread.frame}">{label}</a> · '
                )
            return f'<span class="timecode">{label}</span> · '
        if thread.line:
            text = escape(self.line % {"line": thread.line})
            return f'<a href="#line-{thread.line}">{text}</a> · '
        if thread.scene:
            return f"{escape(self.scene % {'scene': thread.scene})} · "
        return ""

    def thread(self, thread: Thread) -> str:
        pk = thread.pk
        resolved = thread.resolved_at is not None
        parts = [
            f'<article class="thread{" thread--resolved" if resolved else ""}" '
            f'id="comment-{pk}" aria-labelledby="comment-{pk}-title">',
            f'<h3 class="thread__meta" id="comment-{pk}-title">{self.anchor(thread)}'
            f"{escape(thread.author.public_name)} · {self.when(thread.created_at)}",
            f' <span class="tag">{self.resolved}</span>' if resolved else "",
            "</h3>",
        ]
        if isinstance(thread, ScreenplayComment):
            if self.page.quote and thread.quoted_text:
                parts.append(
                    f'<blockquote class="thread__quote">{escape(thread.quoted_text)}</blockquote>'
                )
            if thread.written_on_id != thread.version_id:
                number = thread.written_on.number
                parts.append(
                    f'<p class="thread__meta">{escape(self.written_on % {"number": number})}</p>'
                )
        parts.append(f'<div class="thread__body">{linebreaksbr(thread.body)}</div>')
        replies: Sequence[Thread | Reply] = (
            list(thread.replies.all())
            if self.replies_by_thread is None
            else self.replies_by_thread.get(pk, ())
        )
        if replies:
            parts.append(f'<ul class="thread__replies" aria-label="{self.replies}">')
            for reply in replies:
                parts.append(
                    f'<li><p class="thread__meta">{escape(reply.author.public_name)} · '
                    f"{self.when(reply.created_at)}</p>"
                    f'<div class="thread__body">{linebreaksbr(reply.body)}</div></li>'
                )
            parts.append("</ul>")
        if self.page.can_reply:
            parts.append(self.reply_form(pk))
        if self.page.on_team:
            if resolved:
                button = self.reopen
                field = ""
            else:
                button = self.resolve
                field = '<input type="hidden" name="resolved" value="on">'
            parts.append(
                f'<form method="post" action="{self.resolve_url(pk)}" class="inline-form">'
                f"{self.csrf}{field}"
                f'<button type="submit" class="button--secondary button--small">{button}</button>'
                "</form>"
            )
        parts.append("</article>")
        return "".join(parts)

    def reply_form(self, pk: int) -> str:
        page = self.page
        if page.reply_to == pk and page.reply_form is not None:
            # The refused reply, with its errors and what was typed (escaped by the form).
            fields = str(page.reply_form)
            opened = " open"
        else:
            fields = (
                f'<div class="field"><label for="reply-{pk}">{self.your_reply}</label>'
                f'<textarea id="reply-{pk}" name="reply-body" rows="3" maxlength="5000" '
                "required></textarea></div>"
            )
            opened = ""
        return (
            f"<details{opened}><summary>{self.reply}</summary>"
            f'<form method="post" action="{self.post_url}#comment-{pk}" class="form">'
            f'{self.csrf}<input type="hidden" name="reply_to" value="{pk}">{fields}'
            f'<button type="submit" class="button--small">{self.send}</button></form></details>'
        )


def render_threads(
    threads: Sequence[Thread],
    page: Page,
    *,
    replies: Mapping[int, Sequence[Reply]] | None = None,
) -> SafeString:
    """The threads' HTML, in the given order; their replies from `replies` (by thread id)
    when given, else from each thread's prefetched `replies`."""
    if not threads:
        return mark_safe("")
    renderer = _Renderer(page, replies)
    # Every piece of member text above went through escape() or linebreaksbr().
    return mark_safe("".join(renderer.thread(thread) for thread in threads))  # noqa: S308
