from django.utils import translation

from contrechamp.accounts.models import Skill


def test_the_seeded_taxonomy_holds_the_skills_the_community_named(db: None) -> None:
    slugs = set(Skill.objects.values_list("slug", flat=True))
    assert len(slugs) >= 25
    assert {
        "acting",
        "cinematography",
        "sound-recording",
        "editing",
        "projection",
        "cine-club-programming",
        "film-restoration",
        "subtitling-translation",
        "film-education",
    } <= slugs


def test_every_seeded_skill_has_a_french_and_an_english_name(db: None) -> None:
    for skill in Skill.objects.all():
        assert skill.name_fr.strip()
        assert skill.name_en.strip()


def test_a_skill_is_named_in_the_active_language(db: None) -> None:
    skill = Skill.objects.get(slug="cinematography")
    with translation.override("en"):
        assert skill.name == "Cinematography"
    with translation.override("fr"):
        assert skill.name == "Image, chef op\u2019"


def test_skills_come_in_the_taxonomy_order(db: None) -> None:
    slugs = list(Skill.objects.values_list("slug", flat=True)[:2])
    assert slugs == ["acting", "extras"]
