import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from contrechamp.accounts.models import User
from contrechamp.core.errors import DomainError
from contrechamp.stories import services
from contrechamp.stories.models import BODY_MAX, Story, StoryImage
from contrechamp.stories.rendering import render_story

from .conftest import MakeStory, image_bytes, png


def test_a_story_starts_as_a_draft_then_is_published(member: User) -> None:
    story = services.create_story(actor=member, title="L'été du 16 mm", body="Un récit.")

    assert story.status == Story.Status.DRAFT
    assert story.published_at is None

    story = services.update_story(
        actor=member, story=story, title="L'été du 16 mm", body="Un récit.", publish=True
    )

    assert story.is_published
    assert story.published_at is not None


@pytest.mark.parametrize(
    ("title", "body"),
    [("", "Un récit."), ("   ", "Un récit."), ("Titre", ""), ("Titre", "x" * (BODY_MAX + 1))],
)
def test_an_empty_or_huge_story_is_refused(member: User, title: str, body: str) -> None:
    with pytest.raises(DomainError):
        services.create_story(actor=member, title=title, body=body)

    assert not Story.objects.exists()


def test_a_200000_character_post_through_the_page_is_refused_and_kept(
    client: Client, member: User
) -> None:
    client.force_login(member)

    response = client.post("/stories/new/", {"title": "Trop long", "body": "x" * 200_000})

    assert response.status_code == 200
    assert not Story.objects.exists()
    assert "Trop long" in response.content.decode()


def test_script_tags_are_never_rendered() -> None:
    html = render_story("<script>alert(1)</script> [lien](javascript:alert(1)) **gras**", [])

    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<strong>gras</strong>" in html


def test_only_the_author_edits_or_deletes_a_story(
    make_story: MakeStory, other_member: User
) -> None:
    story = make_story()

    with pytest.raises(PermissionDenied):
        services.update_story(actor=other_member, story=story, title="Volé", body="Non.")
    with pytest.raises(PermissionDenied):
        services.delete_story(actor=other_member, story=story)

    story.refresh_from_db()
    assert story.title == "Un projecteur pour trois clubs"


def test_the_cover_is_re_encoded_and_needs_a_description(member: User) -> None:
    with pytest.raises(DomainError):
        services.create_story(actor=member, title="T", body="B", cover=png())

    story = services.create_story(
        actor=member, title="T", body="B", cover=png(), cover_alt="Le projecteur au soleil"
    )

    assert str(story.cover.name).endswith(".jpg")
    assert str(story.cover_thumbnail.name).endswith(".jpg")
    assert story.cover.read().startswith(b"\xff\xd8\xff")


def test_an_image_that_lies_about_its_type_is_refused(make_story: MakeStory, member: User) -> None:
    story = make_story()
    liar = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")

    with pytest.raises(DomainError):
        services.add_image(actor=member, story=story, upload=liar, alt_text="Une photo")

    assert not StoryImage.objects.exists()


def test_a_too_large_image_is_refused(make_story: MakeStory, member: User) -> None:
    story = make_story()
    big = SimpleUploadedFile("grand.png", image_bytes() + b"\0" * (9 * 1024 * 1024))

    with pytest.raises(DomainError):
        services.add_image(actor=member, story=story, upload=big, alt_text="Grand")

    assert not StoryImage.objects.exists()


def test_images_are_numbered_and_placed_in_the_text(make_story: MakeStory, member: User) -> None:
    story = make_story(body="Avant.\n\n[[image 2]]\n\nAprès.")
    first = services.add_image(actor=member, story=story, upload=png(), alt_text="La salle")
    second = services.add_image(
        actor=member, story=story, upload=png(image_format="JPEG", name="p.jpg"), alt_text="L'écran"
    )

    html = render_story(story.body, [first, second])

    assert (first.number, second.number) == (1, 2)
    assert 'alt="L&#x27;écran"' in html or 'alt="L\'écran"' in html
    assert "[[image 2]]" not in html


def test_the_author_deletes_a_story_with_its_files(
    make_story: MakeStory, member: User, django_capture_on_commit_callbacks: object
) -> None:
    story = make_story()
    image = services.add_image(actor=member, story=story, upload=png(), alt_text="La salle")
    storage, name = image.image.storage, str(image.image.name)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.delete_story(actor=member, story=story)

    assert not Story.objects.exists()
    assert not storage.exists(name)
