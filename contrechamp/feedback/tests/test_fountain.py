"""The Fountain parser: each element of the syntax, line and scene numbers, and any text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from contrechamp.feedback.fountain import Kind, parse
from contrechamp.feedback.tests.conftest import sample


def kinds(source: str) -> list[tuple[str, str]]:
    return [(e.kind.value, e.text) for e in parse(source).elements]


def test_title_page_is_read_up_to_the_first_blank_line() -> None:
    screenplay = parse(
        "Title: La Calanque\nAuthor: Nora\nContact:\n   nora@example.org\n\nINT. CABANON - JOUR\n"
    )
    assert screenplay.title_page == (
        ("Title", "La Calanque"),
        ("Author", "Nora"),
        ("Contact", "nora@example.org"),
    )
    assert screenplay.title == "La Calanque"
    assert kinds("Title: X\n\nINT. A - JOUR\n") == [("scene_heading", "INT. A - JOUR")]


def test_a_transition_on_the_first_line_is_not_a_title_page() -> None:
    screenplay = parse("FADE IN:\n\nINT. A - JOUR\n")
    assert screenplay.title_page == ()
    assert kinds("FADE IN:\n\nINT. A - JOUR\n")[0] == ("action", "FADE IN:")


def test_scene_headings_plain_forced_and_numbered() -> None:
    screenplay = parse(
        "INT. CABANON - JOUR\n\n.FLASHBACK\n\nEXT. PLAGE - NUIT #12A#\n\n...et puis rien.\n"
    )
    headings = [e for e in screenplay.elements if e.kind is Kind.SCENE_HEADING]
    assert [h.text for h in headings] == ["INT. CABANON - JOUR", "FLASHBACK", "EXT. PLAGE - NUIT"]
    assert [h.scene for h in headings] == [1, 2, 3]
    assert headings[2].label == "12A"
    assert screenplay.scene_headings == {
        1: "INT. CABANON - JOUR",
        2: "FLASHBACK",
        3: "EXT. PLAGE - NUIT",
    }
    assert screenplay.elements[-1].kind is Kind.ACTION  # an ellipsis is not a forced heading


def test_int_ext_and_i_e_headings() -> None:
    assert kinds("INT./EXT. VOITURE - JOUR\n")[0][0] == "scene_heading"
    assert kinds("I/E VOITURE - JOUR\n")[0][0] == "scene_heading"
    assert kinds("EST. MARSEILLE - AUBE\n")[0][0] == "scene_heading"
    assert kinds("INTERIEUR\n")[0][0] == "action"


def test_a_heading_followed_directly_by_action_is_still_a_heading() -> None:
    assert kinds("INT. CABANON - JOUR\nLina entre.\n") == [
        ("scene_heading", "INT. CABANON - JOUR"),
        ("action", "Lina entre."),
    ]


def test_dialogue_with_character_extension_and_parentheticals() -> None:
    source = "LINA (V.O.)\n(bas)\nRien n'a bougé.\nRien.\n(un temps)\nVraiment rien.\n"
    assert kinds(source) == [
        ("character", "LINA (V.O.)"),
        ("parenthetical", "(bas)"),
        ("dialogue", "Rien n'a bougé.\nRien."),
        ("parenthetical", "(un temps)"),
        ("dialogue", "Vraiment rien."),
    ]


def test_forced_character_with_at_sign_and_lowercase_name() -> None:
    assert kinds("@McCoy\nBonjour.\n") == [("character", "McCoy"), ("dialogue", "Bonjour.")]


def test_capitals_alone_in_a_paragraph_are_action_not_a_character() -> None:
    assert kinds("BOUM.\n\nLina sursaute.\n") == [("action", "BOUM."), ("action", "Lina sursaute.")]


def test_dual_dialogue_marks_both_speakers() -> None:
    elements = parse("LINA\nOui.\n\nMARC ^\nNon.\n").elements
    assert [(e.kind.value, e.text, e.dual) for e in elements] == [
        ("character", "LINA", True),
        ("dialogue", "Oui.", True),
        ("character", "MARC", True),
        ("dialogue", "Non.", True),
    ]


def test_transitions_plain_and_forced() -> None:
    assert kinds("Lina sort.\n\nCUT TO:\n\n> fondu au noir\n") == [
        ("action", "Lina sort."),
        ("transition", "CUT TO:"),
        ("transition", "FONDU AU NOIR"),
    ]


def test_a_transition_needs_to_stand_alone() -> None:
    assert kinds("Elle dit CUT TO:\n")[0][0] == "action"


def test_centered_lyrics_sections_synopses_and_page_breaks() -> None:
    assert kinds("> FIN <\n\n~La la\n\n## Acte 2\n\n= Lina part.\n\n===\n") == [
        ("centered", "FIN"),
        ("lyrics", "La la"),
        ("section", "Acte 2"),
        ("synopsis", "Lina part."),
        ("page_break", ""),
    ]
    section = parse("## Acte 2\n").elements[0]
    assert section.depth == 2


def test_forced_action_keeps_capitals_as_action() -> None:
    assert kinds("!LINA\nCourt vers la mer.\n") == [("action", "LINA\nCourt vers la mer.")]


def test_notes_are_kept_apart_and_boneyard_dropped_without_shifting_lines() -> None:
    source = (
        "Lina entre. [[à revoir]]\n/* coupé\nINT. NOTAIRE - JOUR\n*/\n\n"
        "Marc sort.\n[[une note\nsur deux lignes]]\n"
    )
    elements = parse(source).elements
    assert [(e.kind.value, e.text, e.line, e.notes) for e in elements] == [
        ("action", "Lina entre.", 1, ("à revoir",)),
        ("action", "Marc sort.", 6, ()),
        ("note", "une note sur deux lignes", 7, ()),
    ]


def test_two_spaces_keep_a_dialogue_going() -> None:
    assert kinds("LINA\nPremière ligne.\n  \nSuite.\n") == [
        ("character", "LINA"),
        ("dialogue", "Première ligne.\n\nSuite."),
    ]


def test_windows_line_endings_and_byte_order_mark() -> None:
    assert kinds("\ufeffINT. A - JOUR\r\n\r\nLina.\r\n") == [
        ("scene_heading", "INT. A - JOUR"),
        ("action", "Lina."),
    ]


def test_the_sample_screenplay_has_stable_lines_and_scenes() -> None:
    screenplay = parse(sample("la_calanque_v1.fountain"))
    by_line = {e.line: e for e in screenplay.elements}
    assert by_line[11].kind is Kind.SCENE_HEADING and by_line[11].scene == 1
    assert by_line[17].kind is Kind.DIALOGUE and by_line[17].text == "Rien n'a bougé."
    assert by_line[38].kind is Kind.NOTE
    assert by_line[52].text == "EXT. ROUTE DES CRÊTES - CRÉPUSCULE" and by_line[52].scene == 3
    assert len(screenplay.scene_headings) == 4
    lines = [e.line for e in screenplay.elements]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses(source: str) -> None:
    screenplay = parse(source)
    lines = [e.line for e in screenplay.elements]
    assert lines == sorted(lines)
    line_count = source.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    assert all(1 <= line <= line_count for line in lines)


fountainish = st.lists(
    st.sampled_from(
        [
            "",
            "INT. A - JOUR",
            "LINA",
            "(bas)",
            "Oui.",
            "CUT TO:",
            "> FIN <",
            "~la",
            "[[note",
            "]]",
            "/*",
            "*/",
            "===",
            "# Acte",
            "= syn",
            "MARC ^",
            "@bob",
            "!ACTION",
            ".FORCED",
            "  ",
            "Title: X",
        ]
    ),
    max_size=40,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(fountainish)
def test_any_mix_of_fountain_syntax_parses_in_line_order(source: str) -> None:
    screenplay = parse(source)
    lines = [e.line for e in screenplay.elements]
    assert lines == sorted(lines)
    assert all(e.scene is None or e.scene in screenplay.scene_headings for e in screenplay.elements)
