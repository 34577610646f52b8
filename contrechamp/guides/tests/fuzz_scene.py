"""One of each guide thing for the API fuzzer (see api/tests/test_schemathesis.py): a
public guide of `owner` with a file and two versions, and a guide of `caller`."""

from django.core.files.uploadedfile import SimpleUploadedFile

from contrechamp.accounts.models import User
from contrechamp.guides import services
from contrechamp.guides.tests.conftest import PDF_BYTES


def build(*, owner: User, caller: User) -> None:
    guide = services.create_guide(
        actor=owner,
        is_public=True,
        details=services.GuideDetails(
            title="Checklist projection 16 mm", body="- Nettoyer le couloir", tags=["16 mm"]
        ),
    )
    services.update_guide(
        actor=owner,
        guide=guide,
        details=services.GuideDetails(title=guide.title, body="- Vérifier la lampe"),
        based_on=1,
    )
    services.attach_file(
        actor=owner,
        guide=guide,
        upload=SimpleUploadedFile("fiche.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    services.add_editor(actor=owner, guide=guide, member=caller)
    services.create_guide(
        actor=caller,
        details=services.GuideDetails(title="Câblage du projecteur", body="HDMI 1 : régie."),
    )
