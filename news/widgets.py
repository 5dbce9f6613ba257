"""Form widgets of the public filters."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A ``<select>`` rendered in Python rather than one template per ``<option>``.

    The article filters show some 300 options (régions, départements, labels) on every page;
    through Django's widget templates they took about half of the page's rendering time.
    Same markup and attributes (``selected``, ``aria-*``), every value escaped.

    ``rendered_options``, when set, is ``options_html()`` with nothing selected, rendered once
    for many requests (``news.filters`` keeps it per content version): a render then only
    marks the chosen value, instead of escaping every option again.
    """

    rendered_options: str | None = None

    def options_html(self, name: str) -> str:
        """Every ``<option>`` (and ``<optgroup>``), none selected: ``rendered_options``."""
        return self._options_html(name, [])

    def _options_html(self, name: str, values: list[str]) -> str:
        parts = []
        for group_name, options, _index in self.optgroups(name, values):
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        "" if option["value"] is None else option["value"],
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        return "".join(parts)

    def _marked(self, value) -> str:
        """The pre-rendered options with ``value`` selected, as Django would mark it."""
        html = self.rendered_options
        for chosen in self.format_value(value)[:1]:
            option = f'<option value="{escape(chosen)}">'
            html = html.replace(option, f'<option value="{escape(chosen)}" selected>', 1)
        return html

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = (
            self._options_html(name, self.format_value(value))
            if self.rendered_options is None
            else self._marked(value)
        )
        return mark_safe(
            format_html('<select name="{}"{}>', name, flatatt(final_attrs)) + options + "</select>"
        )
