"""The sentence around a link's matched words, shown to editors reviewing the link."""

import pytest

from news.review import (
    CONTEXT_CHARS,
    Excerpt,
    TextSearch,
    confidence_floor,
    confidence_percent,
    fold,
    sentence_bounds,
)


def excerpt(matched, *sources):
    return TextSearch(list(sources)).excerpt(matched)


def test_the_sentence_holding_the_match_is_cut_out_of_the_paragraph():
    body = (
        "La réunion s'est tenue à Chalon-sur-Saône. Les élus du Nord ont signé. "
        "Le projet démarre en 2025."
    )
    found = excerpt("Nord", ("corps", body))
    assert found == Excerpt(where="corps", before="Les élus du ", match="Nord", after=" ont signé.")


def test_case_accents_and_the_punctuation_between_words_are_ignored():
    found = excerpt("saint omer", ("corps", "Visite à SAINT-ÔMER hier."))
    assert found.match == "SAINT-ÔMER"
    assert (found.before, found.after) == ("Visite à ", " hier.")


def test_only_whole_words_match():
    assert excerpt("Arras", ("corps", "Les Arrasiens votent.")) is None
    assert excerpt("Arras", ("corps", "Les Arrasiens votent. Arras aussi.")).before == ""


def test_titles_and_initials_do_not_end_a_sentence():
    body = "Selon M. Dupont et J. Martin, l'usine de Béthune rouvre. Fin."
    found = excerpt("Béthune", ("corps", body))
    assert found.before == "Selon M. Dupont et J. Martin, l'usine de "
    assert found.after == " rouvre."


def test_a_line_break_ends_a_sentence_and_is_not_shown():
    found = excerpt("Douai", ("texte source", "Titre sans point\nDouai recrute\nAutre ligne"))
    assert (found.before, found.match, found.after) == ("", "Douai", " recrute")


def test_sources_are_searched_in_order_and_the_first_that_holds_the_words_wins():
    found = excerpt("Lens", ("titre", "Une usine"), ("chapô", "À Lens, une usine."))
    assert found.where == "chapô"
    assert excerpt("Lens", ("titre", "Lens recrute"), ("chapô", "À Lens.")).where == "titre"


def test_a_very_long_sentence_is_cut_at_words_around_the_match():
    long_side = " ".join(["mot"] * 200)
    found = excerpt("Calais", ("corps", f"{long_side} Calais {long_side}"))
    assert found.before.startswith("…mot") and found.after.endswith("mot…")
    assert len(found.before) <= CONTEXT_CHARS + 1 and len(found.after) <= CONTEXT_CHARS + 1


@pytest.mark.parametrize("matched", ["", "  ", "—", None])
def test_nothing_to_look_for_gives_no_excerpt(matched):
    assert excerpt(matched, ("corps", "Un texte.")) is None


def test_words_absent_from_every_text_give_no_excerpt():
    assert excerpt("Valenciennes", ("titre", "Lens"), ("corps", "")) is None


def test_the_html_escapes_the_text_and_marks_the_match():
    found = excerpt("<Lens>", ("corps", "Le <b>club</b> & <Lens> gagne."))
    html = found.html()
    assert html == "Le &lt;b&gt;club&lt;/b&gt; &amp; &lt;<mark>Lens</mark>&gt; gagne."


def test_fold_keeps_one_character_per_character():
    text = "Œuvre à Saint-Étienne, İzmir, straße"
    assert len(fold(text)) == len(text)
    assert fold("Étienne") == "etienne"


def test_sentence_bounds_start_at_the_first_word_and_end_with_the_stop():
    text = "Avant.   Le Dr. Who arrive ! Après."
    start = text.index("Who")
    assert text[slice(*sentence_bounds(text, start, start + 3))] == "Le Dr. Who arrive !"


@pytest.mark.parametrize(
    ("confidence", "percent"), [(0.85, 85), (0.845, 85), (0.8449, 84), (1.0, 100), (0.0, 0)]
)
def test_confidence_is_read_as_a_whole_percentage_rounded_half_up(confidence, percent):
    assert confidence_percent(confidence) == percent
    assert confidence >= confidence_floor(percent)
    assert confidence < confidence_floor(percent + 1)
