import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.core.errors import Conflict, DomainError
from contrechamp.guides import services
from contrechamp.guides.models import GuideAttachment
from contrechamp.guides.tests.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[str]:
    root = settings.PRIVATE_MEDIA_ROOT
    return [str(path) for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_an_editor_attaches_a_pdf_kept_in_private_storage(member, guide, pdf, settings):
    attachment = services.attach_file(actor=member, guide=guide, upload=pdf)

    assert attachment.original_name == "branchements.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert len(stored_files(settings)) == 1
    assert not (settings.MEDIA_ROOT / "guides").exists()


def test_a_file_that_lies_about_its_type_is_refused_and_nothing_is_stored(
    member, guide, liar, settings
):
    with pytest.raises(DomainError, match="content is not one"):
        services.attach_file(actor=member, guide=guide, upload=liar)
    assert not GuideAttachment.objects.exists()
    assert stored_files(settings) == []


def test_a_file_too_big_is_refused(member, guide, settings):
    big = SimpleUploadedFile("plan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="larger than 10 MB"):
        services.attach_file(actor=member, guide=guide, upload=big)
    assert stored_files(settings) == []


def test_a_type_outside_the_list_is_refused(member, guide):
    with pytest.raises(DomainError, match="Send a"):
        services.attach_file(
            actor=member, guide=guide, upload=upload("clip.mp4", b"\x00\x00\x00\x18ftypmp42")
        )


def test_a_guide_holds_a_limited_number_of_files(member, guide, monkeypatch):
    monkeypatch.setattr(services, "ATTACHMENTS_PER_GUIDE", 2)
    for number in range(2):
        services.attach_file(actor=member, guide=guide, upload=upload(f"{number}.pdf", PDF_BYTES))
    with pytest.raises(Conflict, match="already has 2 files"):
        services.attach_file(actor=member, guide=guide, upload=upload("3.pdf", PDF_BYTES))
    assert GuideAttachment.objects.count() == 2


def test_someone_who_does_not_edit_cannot_attach_nor_remove(member, other_member, guide, pdf):
    with pytest.raises(PermissionDenied):
        services.attach_file(actor=other_member, guide=guide, upload=pdf)
    attachment = services.attach_file(actor=member, guide=guide, upload=pdf)
    with pytest.raises(PermissionDenied):
        services.remove_attachment(actor=other_member, attachment=attachment)
    assert GuideAttachment.objects.count() == 1


def test_removing_a_file_deletes_it_from_storage(
    member, guide, png, settings, django_capture_on_commit_callbacks
):
    attachment = services.attach_file(actor=member, guide=guide, upload=png)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(actor=member, attachment=attachment)
    assert not GuideAttachment.objects.exists()
    assert stored_files(settings) == []


def test_a_file_of_a_private_guide_is_not_served_to_others(
    client, member, other_member, guide, pdf
):
    attachment = services.attach_file(actor=member, guide=guide, upload=pdf)
    url = attachment.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]


def test_a_file_of_a_public_guide_is_served_to_anyone(client, member, guide, pdf):
    services.set_sharing(actor=member, guide=guide, is_public=True, networks=[])
    attachment = services.attach_file(actor=member, guide=guide, upload=pdf)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    assert AnonymousUser().is_anonymous
