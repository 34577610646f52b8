"""What members do with stories and endorsements: each function checks who acts first,
changes rows inside a transaction, and queues its side effects (search, file removal) for
after the commit. Notifications are recorded in the same transaction (see `notify`)."""

import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contrechamp.accounts.models import User
from contrechamp.accounts.services import ensure_code_of_conduct_accepted
from contrechamp.core import uploads
from contrechamp.core.errors import DomainError, InvalidTransition
from contrechamp.networks.models import Network, Role, RoleAssignment
from contrechamp.networks.permissions import standing
from contrechamp.notifications.services import in_language_of, notify
from contrechamp.search.services import reindex_on_commit
from contrechamp.stories import images
from contrechamp.stories.models import (
    ALT_MAX,
    BODY_MAX,
    COMMENT_MAX,
    ENDORSEMENT_MAX,
    LEAD_MAX,
    TITLE_MAX,
    Comment,
    Endorsement,
    NetworkTag,
    PersonTag,
    Story,
    StoryImage,
)

MAX_NETWORK_TAGS = 10
MAX_PERSON_TAGS = 10
MAX_IMAGES = 20
SEARCH_KIND = "stories"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str, *, label: str, max_length: int, required: bool) -> str:
    """Trim, drop control characters, and refuse an empty or too long text."""
    cleaned = _CONTROL.sub("", value or "").strip()
    if required and not cleaned:
        raise DomainError(_("%(field)s cannot be empty.") % {"field": label})
    if len(cleaned) > max_length:
        raise DomainError(
            _("%(field)s is too long: %(max)s characters at most.")
            % {"field": label, "max": f"{max_length:,}"}
        )
    return cleaned


def _ensure_active(actor: User) -> None:
    if not actor.is_active or actor.deleted_at is not None:
        raise PermissionDenied(_("This account can no longer take part."))


def _delete_files_on_commit(*files: Any) -> None:
    """Remove stored files once the rows that named them are gone for good."""
    pairs = [(file.storage, file.name) for file in files if file]

    def remove() -> None:
        for storage, name in pairs:
            storage.delete(name)

    if pairs:
        transaction.on_commit(remove, robust=True)


# -- Who may do what -----------------------------------------------------------------


def may_read(viewer: User | None, story: Story) -> bool:
    """A published story is public; a draft is seen by its author and the people it asks
    to tag (they decide on what they see)."""
    if story.is_published:
        return True
    if viewer is None:
        return False
    if story.author_id == viewer.pk:
        return True
    return PersonTag.objects.filter(
        story=story, person=viewer, status__in=[PersonTag.Status.PENDING, PersonTag.Status.ACCEPTED]
    ).exists()


def ensure_author(actor: User, story: Story) -> None:
    if story.author_id != actor.pk:
        raise PermissionDenied(_("Only the author of this story can change it."))


def _is_admin(member: User, network: Network) -> bool:
    return RoleAssignment.objects.filter(
        network=network, user=member, role=Role.ADMIN, ended_at__isnull=True
    ).exists()


def endorsement_refusal(member: User, network: Network) -> str | None:
    """Why the member may not recommend the network, or None when they may.

    They may when they are a member, held a role there before, or were helped by it: they
    wrote, or accepted to be tagged in, a published story the network is tagged in. Its own
    admins may not: a recommendation speaks from outside the team that runs it."""
    if _is_admin(member, network):
        return _("The admins of a network cannot recommend it themselves.")
    if standing(member, network).is_member:
        return None
    if RoleAssignment.objects.filter(network=network, user=member).exists():
        return None
    helped = NetworkTag.objects.filter(
        network=network, removed_at__isnull=True, story__status=Story.Status.PUBLISHED
    ).filter(
        Q(story__author=member)
        | Q(
            story__person_tags__person=member,
            story__person_tags__status=PersonTag.Status.ACCEPTED,
        )
    )
    if helped.exists():
        return None
    return _(
        "Only members of this network, or people it helped (in a published story that "
        "names it), can recommend it."
    )


# -- Stories -------------------------------------------------------------------------


def _clean_story_fields(title: str, lead: str, body: str, cover_alt: str) -> dict[str, str]:
    return {
        "title": _text(title, label=_("The title"), max_length=TITLE_MAX, required=True),
        "lead": _text(lead, label=_("The lead"), max_length=LEAD_MAX, required=False),
        "body": _text(body, label=_("The story"), max_length=BODY_MAX, required=True),
        "cover_alt": _text(
            cover_alt, label=_("The cover description"), max_length=ALT_MAX, required=False
        ),
    }


def _check_tags(author: User, networks: Sequence[Network], people: Sequence[User]) -> None:
    if len({network.pk for network in networks}) > MAX_NETWORK_TAGS:
        raise DomainError(_("Name %(max)s networks at most.") % {"max": MAX_NETWORK_TAGS})
    if len({person.pk for person in people}) > MAX_PERSON_TAGS:
        raise DomainError(_("Name %(max)s people at most.") % {"max": MAX_PERSON_TAGS})
    if any(person.pk == author.pk for person in people):
        raise DomainError(_("You are the author: you do not need to tag yourself."))
    if any(not person.is_active or person.deleted_at is not None for person in people):
        raise DomainError(_("One of the people named no longer has an account."))


def _tell_tag_request(tag: PersonTag, story: Story, author: User) -> None:
    with in_language_of(tag.person):
        notify(
            recipient=tag.person,
            kind="stories.tag_request",
            title=_("%(name)s mentions you in the story “%(title)s”")
            % {"name": author.public_name, "title": story.title},
            body=_("You are shown in it only if you accept."),
            url="/stories/mine/",
            actor=author,
        )


def _sync_tags(
    story: Story, author: User, networks: Sequence[Network], people: Sequence[User]
) -> None:
    """Add the tags asked for and drop the others. A tag removed by a network's admin, or
    refused by its person, stays as it is: asking again changes nothing."""
    wanted_networks = {network.pk: network for network in networks}
    existing_networks = {tag.network_id: tag for tag in story.network_tags.all()}
    for network_id, tag in existing_networks.items():
        if network_id not in wanted_networks and tag.removed_at is None:
            tag.delete()
    NetworkTag.objects.bulk_create(
        [
            NetworkTag(story=story, network=network)
            for network_id, network in wanted_networks.items()
            if network_id not in existing_networks
        ]
    )
    wanted_people = {person.pk: person for person in people}
    existing_people = {tag.person_id: tag for tag in story.person_tags.all()}
    for person_id, person_tag in existing_people.items():
        if person_id not in wanted_people and person_tag.status != PersonTag.Status.REFUSED:
            person_tag.delete()
    created = PersonTag.objects.bulk_create(
        [
            PersonTag(story=story, person=person)
            for person_id, person in wanted_people.items()
            if person_id not in existing_people
        ]
    )
    for new_tag in created:
        _tell_tag_request(new_tag, story, author)


@transaction.atomic
def create_story(
    *,
    actor: User,
    title: str,
    body: str,
    lead: str = "",
    networks: Sequence[Network] = (),
    people: Sequence[User] = (),
    publish: bool = False,
    cover: UploadedFile[Any] | None = None,
    cover_alt: str = "",
) -> Story:
    """Write a story, as a draft or published at once. The people named are asked to
    accept their tag (a notification each); the networks named are shown at once."""
    _ensure_active(actor)
    ensure_code_of_conduct_accepted(actor)
    fields = _clean_story_fields(title, lead, body, cover_alt)
    _check_tags(actor, networks, people)
    processed = images.process(cover) if cover is not None else None
    if processed is not None and not fields["cover_alt"]:
        raise DomainError(_("Describe the cover image for people who cannot see it."))
    now = timezone.now()
    story = Story.objects.create(
        author=actor,
        status=Story.Status.PUBLISHED if publish else Story.Status.DRAFT,
        published_at=now if publish else None,
        created_at=now,
        updated_at=now,
        **fields,
    )
    if processed is not None:
        _store_cover(story, processed)
    _sync_tags(story, actor, networks, people)
    reindex_on_commit(SEARCH_KIND, [story.pk])
    return story


def _store_cover(story: Story, processed: images.Processed) -> None:
    old = (story.cover, story.cover_thumbnail)
    story.cover.save(uploads.random_name(uploads.JPEG), ContentFile(processed.display), save=False)
    story.cover_thumbnail.save(
        uploads.random_name(uploads.JPEG), ContentFile(processed.thumbnail), save=False
    )
    story.save(update_fields=["cover", "cover_thumbnail"])
    _delete_files_on_commit(*old)


@transaction.atomic
def update_story(
    *,
    actor: User,
    story: Story,
    title: str,
    body: str,
    lead: str = "",
    networks: Sequence[Network] = (),
    people: Sequence[User] = (),
    publish: bool = False,
    cover: UploadedFile[Any] | None = None,
    cover_alt: str = "",
    remove_cover: bool = False,
) -> Story:
    """The author edits the story, its tags and cover, publishes it or takes it back to a
    draft. People newly named are asked to accept their tag."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    ensure_author(actor, story)
    _ensure_active(actor)
    fields = _clean_story_fields(title, lead, body, cover_alt)
    _check_tags(actor, networks, people)
    processed = images.process(cover) if cover is not None else None
    keeps_cover = (bool(story.cover) and not remove_cover) or processed is not None
    if keeps_cover and not fields["cover_alt"]:
        raise DomainError(_("Describe the cover image for people who cannot see it."))
    for name, value in fields.items():
        setattr(story, name, value)
    now = timezone.now()
    if publish and not story.is_published:
        story.status = Story.Status.PUBLISHED
        story.published_at = now
    elif not publish:
        story.status = Story.Status.DRAFT
        story.published_at = None
    story.updated_at = now
    if remove_cover and processed is None and story.cover:
        _delete_files_on_commit(story.cover, story.cover_thumbnail)
        story.cover = story.cover_thumbnail = ""  # a FieldFile takes a name
        story.cover_alt = ""
    story.save()
    if processed is not None:
        _store_cover(story, processed)
    _sync_tags(story, actor, networks, people)
    reindex_on_commit(SEARCH_KIND, [story.pk])
    return story


@transaction.atomic
def delete_story(*, actor: User, story: Story) -> None:
    """The author deletes the story, its images, tags and comments. Endorsements that
    pointed to it stay, without the link."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    ensure_author(actor, story)
    _remove_stories(Story.objects.filter(pk=story.pk))


def _remove_stories(stories: Any) -> None:
    ids = list(stories.values_list("pk", flat=True))
    if not ids:
        return
    files: list[Any] = []
    for story in Story.objects.filter(pk__in=ids).only("cover", "cover_thumbnail"):
        files += [story.cover, story.cover_thumbnail]
    for image in StoryImage.objects.filter(story_id__in=ids).only("image", "thumbnail"):
        files += [image.image, image.thumbnail]
    Story.objects.filter(pk__in=ids).delete()
    _delete_files_on_commit(*files)
    reindex_on_commit(SEARCH_KIND, ids)


@transaction.atomic
def add_image(*, actor: User, story: Story, upload: UploadedFile[Any], alt_text: str) -> StoryImage:
    """Add an image to the story (20 at most); it gets the next number, to place in the
    text with `[[image N]]`."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    ensure_author(actor, story)
    alt = _text(alt_text, label=_("The description"), max_length=ALT_MAX, required=True)
    if story.images.count() >= MAX_IMAGES:
        raise DomainError(_("A story holds %(max)s images at most.") % {"max": MAX_IMAGES})
    processed = images.process(upload)
    last = story.images.aggregate(last=Max("number"))["last"] or 0
    image = StoryImage(
        story=story,
        number=last + 1,
        alt_text=alt,
        width=processed.width,
        height=processed.height,
    )
    image.image.save(uploads.random_name(uploads.JPEG), ContentFile(processed.display), save=False)
    image.thumbnail.save(
        uploads.random_name(uploads.JPEG), ContentFile(processed.thumbnail), save=False
    )
    image.save()
    return image


@transaction.atomic
def remove_image(*, actor: User, image: StoryImage) -> None:
    image = StoryImage.objects.select_related("story").select_for_update().get(pk=image.pk)
    ensure_author(actor, image.story)
    _delete_files_on_commit(image.image, image.thumbnail)
    image.delete()


# -- Tags ----------------------------------------------------------------------------


@transaction.atomic
def answer_tag(*, actor: User, tag: PersonTag, accept: bool) -> PersonTag:
    """The person named accepts (the tag is shown) or refuses (it never is)."""
    tag = PersonTag.objects.select_for_update().get(pk=tag.pk)
    if tag.person_id != actor.pk:
        raise PermissionDenied(_("Only the person tagged can answer."))
    if not tag.is_pending:
        raise InvalidTransition(_("You have already answered."))
    tag.status = PersonTag.Status.ACCEPTED if accept else PersonTag.Status.REFUSED
    tag.answered_at = timezone.now()
    tag.save(update_fields=["status", "answered_at"])
    return tag


@transaction.atomic
def remove_my_tag(*, actor: User, tag: PersonTag) -> PersonTag:
    """The person tagged takes their name off the story, at any time; the author cannot
    tag them there again."""
    tag = PersonTag.objects.select_for_update().get(pk=tag.pk)
    if tag.person_id != actor.pk:
        raise PermissionDenied(_("Only the person tagged can remove their tag."))
    tag.status = PersonTag.Status.REFUSED
    tag.answered_at = timezone.now()
    tag.save(update_fields=["status", "answered_at"])
    return tag


@transaction.atomic
def remove_network_tag(*, actor: User, tag: NetworkTag) -> None:
    """The story's author, or an admin of the network, removes the network's tag. When an
    admin removes it, it stays removed: the author cannot add it back."""
    tag = NetworkTag.objects.select_related("story", "network").select_for_update().get(pk=tag.pk)
    if tag.story.author_id == actor.pk:
        tag.delete()
    elif _is_admin(actor, tag.network) and standing(actor, tag.network).can_act:
        if tag.removed_at is None:
            tag.removed_at = timezone.now()
            tag.removed_by = actor
            tag.save(update_fields=["removed_at", "removed_by"])
    else:
        raise PermissionDenied(
            _("Only the author of the story or an admin of the network can remove this tag.")
        )
    reindex_on_commit(SEARCH_KIND, [tag.story_id])


# -- Comments ------------------------------------------------------------------------


@transaction.atomic
def add_comment(*, actor: User, story: Story, body: str) -> Comment:
    """Comment on a published story; its author is told."""
    _ensure_active(actor)
    ensure_code_of_conduct_accepted(actor)
    story = Story.objects.select_related("author").get(pk=story.pk)
    if not story.is_published:
        raise InvalidTransition(_("Comments open once the story is published."))
    text = _text(body, label=_("The comment"), max_length=COMMENT_MAX, required=True)
    comment = Comment.objects.create(story=story, author=actor, body=text)
    with in_language_of(story.author):
        notify(
            recipient=story.author,
            kind="stories.comment",
            title=_("%(name)s comments on your story “%(title)s”")
            % {"name": actor.public_name, "title": story.title},
            body=text[:300],
            url=f"{story.get_absolute_url()}#comment-{comment.pk}",
            actor=actor,
        )
    return comment


@transaction.atomic
def delete_comment(*, actor: User, comment: Comment) -> None:
    """The comment's author, or the story's author, deletes it."""
    comment = Comment.objects.select_related("story").select_for_update().get(pk=comment.pk)
    if actor.pk not in (comment.author_id, comment.story.author_id):
        raise PermissionDenied(_("Only its author or the story's author can delete a comment."))
    comment.delete()


# -- Endorsements --------------------------------------------------------------------


def _story_for_endorsement(actor: User, story: Story | None) -> Story | None:
    if story is None:
        return None
    if not story.is_published or not may_read(actor, story):
        raise DomainError(_("Link a published story."))
    return story


@transaction.atomic
def endorse(*, actor: User, network: Network, text: str, story: Story | None = None) -> Endorsement:
    """Recommend the network, or change one's recommendation (one per member per
    network). The network's admins are told of a new one."""
    _ensure_active(actor)
    ensure_code_of_conduct_accepted(actor)
    refusal = endorsement_refusal(actor, network)
    if refusal is not None:
        raise PermissionDenied(refusal)
    cleaned = _text(text, label=_("The recommendation"), max_length=ENDORSEMENT_MAX, required=True)
    linked = _story_for_endorsement(actor, story)
    now = timezone.now()
    existing = Endorsement.objects.select_for_update().filter(network=network, author=actor).first()
    if existing is not None:
        existing.text = cleaned
        existing.story = linked
        existing.updated_at = now
        existing.save(update_fields=["text", "story", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                network=network,
                author=actor,
                text=cleaned,
                story=linked,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        # A second submission won the race: update it instead.
        endorsement = Endorsement.objects.select_for_update().get(network=network, author=actor)
        endorsement.text = cleaned
        endorsement.story = linked
        endorsement.updated_at = now
        endorsement.save(update_fields=["text", "story", "updated_at"])
        return endorsement
    admins = User.objects.filter(
        network_roles__network=network,
        network_roles__role=Role.ADMIN,
        network_roles__ended_at__isnull=True,
    ).distinct()
    for admin in admins:
        with in_language_of(admin):
            notify(
                recipient=admin,
                kind="stories.endorsement",
                title=_("%(name)s recommends %(network)s")
                % {"name": actor.public_name, "network": network.name},
                body=cleaned[:300],
                url=f"/stories/endorsements/{network.slug}/",
                actor=actor,
            )
    return endorsement


@transaction.atomic
def withdraw_endorsement(*, actor: User, endorsement: Endorsement) -> None:
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.author_id != actor.pk:
        raise PermissionDenied(_("Only its author can withdraw a recommendation."))
    endorsement.delete()


def remove_member_content(member: User) -> None:
    """For account deletion, inside its transaction: the member's stories (and files),
    comments and recommendations go."""
    _remove_stories(Story.objects.filter(author=member))
    Comment.objects.filter(author=member).delete()
    Endorsement.objects.filter(author=member).delete()
