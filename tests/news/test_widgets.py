from django import forms
from django.test.html import parse_html

from news.widgets import LinkDecisionSelect, QuickSelect, TagListInput

CHOICES = [
    ("", "Toutes les régions"),
    ("Hauts-de-France", [("nord", "59 – Nord"), ("pas-de-calais", "62 – Pas-de-Calais")]),
    ("Ailleurs", [("x", '<b>"Guillemets" & chevrons</b>')]),
]


def test_quick_select_renders_the_same_markup_as_django_select():
    attrs = {"id": "id_departement", "aria-invalid": "true", "aria-describedby": "aide"}
    for value in ("", "pas-de-calais", "x", None):
        expected = forms.Select(choices=CHOICES).render("departement", value, attrs)
        actual = QuickSelect(choices=CHOICES).render("departement", value, attrs)
        assert parse_html(actual) == parse_html(expected), value


def test_quick_select_escapes_labels():
    html = QuickSelect(choices=CHOICES).render("departement", "x")
    assert "<b>" not in html
    assert "&lt;b&gt;&quot;Guillemets&quot; &amp; chevrons&lt;/b&gt;" in html


def test_quick_select_with_options_rendered_beforehand_marks_the_chosen_value():
    attrs = {"id": "id_departement", "aria-invalid": "true"}
    rendered = QuickSelect(choices=CHOICES).options_html("departement")
    for value in ("", "pas-de-calais", "x", None, "inconnu"):
        expected = QuickSelect(choices=CHOICES).render("departement", value, attrs)
        widget = QuickSelect(choices=CHOICES)
        widget.rendered_options = rendered
        assert parse_html(widget.render("departement", value, attrs)) == parse_html(expected)


def test_link_decision_is_a_fieldset_named_by_its_legend_with_one_label_per_option():
    widget = LinkDecisionSelect(choices=[("keep", "Garder"), ("reject", '<b>"Rejeter"</b>')])
    widget.legend = "Décision pour le lien « <Béthune> »"
    html = widget.render("links-0-decision", "reject", {"id": "id_links-0-decision"})
    assert parse_html(html) == parse_html(
        '<fieldset class="link-decision" id="id_links-0-decision">'
        '<legend class="visually-hidden">Décision pour le lien « &lt;Béthune&gt; »</legend>'
        '<label for="id_links-0-decision_0" class="link-decision-keep">'
        '<input type="radio" name="links-0-decision" value="keep" id="id_links-0-decision_0">'
        " Garder</label>"
        '<label for="id_links-0-decision_1" class="link-decision-reject">'
        '<input type="radio" name="links-0-decision" value="reject" id="id_links-0-decision_1"'
        " checked> &lt;b&gt;&quot;Rejeter&quot;&lt;/b&gt;</label></fieldset>"
    )


def test_tag_list_input_shows_names_unquoted_and_offers_the_existing_tags():
    widget = TagListInput()
    widget.suggestions = ["emploi", '"quoted" & <b>']
    html = widget.render("tags", ["énergie verte", "Emploi"], {"id": "id_tags"})
    assert parse_html(html) == parse_html(
        '<input type="text" name="tags" value="Emploi, énergie verte" autocomplete="off"'
        ' data-tag-input id="id_tags" list="id_tags-suggestions">'
        '<datalist id="id_tags-suggestions"><option value="emploi"></option>'
        '<option value="&quot;quoted&quot; &amp; &lt;b&gt;"></option></datalist>'
    )
    assert 'value="déjà, saisi"' in widget.render("tags", "déjà, saisi")
