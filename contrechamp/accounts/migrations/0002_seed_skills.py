"""The shared skills taxonomy, in French and English.

Seeded by slug so that running it again (or editing a name here in a later migration)
never creates duplicates; removing the migration removes only these slugs.
"""

from django.db import migrations

SKILLS = [
    ("acting", "Jeu d’acteur", "Acting"),
    ("extras", "Figuration", "Extras"),
    ("cinematography", "Image, chef op’", "Cinematography"),
    ("camera-assistant", "Assistanat caméra", "Camera assistant"),
    ("lighting", "Lumière, électro", "Lighting"),
    ("sound-recording", "Prise de son", "Sound recording"),
    ("sound-editing-mixing", "Montage son et mixage", "Sound editing and mixing"),
    ("editing", "Montage", "Editing"),
    ("colour-grading", "Étalonnage", "Colour grading"),
    ("scriptwriting", "Scénario", "Scriptwriting"),
    ("directing", "Réalisation", "Directing"),
    ("assistant-directing", "Assistanat réalisation", "Assistant directing"),
    ("production", "Production", "Production"),
    ("set-design", "Décors", "Set design"),
    ("costume", "Costumes", "Costume"),
    ("make-up", "Maquillage, coiffure", "Make-up and hair"),
    ("music", "Musique", "Music"),
    ("projection", "Projection (16/35 mm et numérique)", "Projection (16/35 mm and digital)"),
    ("cine-club-programming", "Programmation de ciné-club", "Ciné-club programming"),
    ("film-criticism", "Critique de cinéma", "Film criticism"),
    ("film-restoration", "Restauration de films", "Film restoration"),
    ("subtitling-translation", "Sous-titrage et traduction", "Subtitling and translation"),
    ("event-logistics", "Logistique d’événements", "Event logistics"),
    ("graphic-design-posters", "Graphisme et affiches", "Graphic design and posters"),
    ("film-education", "Éducation à l’image, médiation", "Film education and mediation"),
]


def seed_skills(apps, schema_editor):
    Skill = apps.get_model("accounts", "Skill")
    for position, (slug, name_fr, name_en) in enumerate(SKILLS, start=1):
        Skill.objects.update_or_create(
            slug=slug,
            defaults={"name_fr": name_fr, "name_en": name_en, "position": position * 10},
        )


def remove_skills(apps, schema_editor):
    Skill = apps.get_model("accounts", "Skill")
    Skill.objects.filter(slug__in=[slug for slug, _fr, _en in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed_skills, remove_skills)]
