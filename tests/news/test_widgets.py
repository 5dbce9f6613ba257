from django import forms
from django.test.html import parse_html

from news.widgets import QuickSelect

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
