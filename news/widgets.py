"""Form widgets of the public filters and of the editors' article form."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from news.review import fold


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


class LinkDecisionSelect(forms.RadioSelect):
    """One choice per article link, as a ``<fieldset>`` whose ``<legend>`` names the link.

    Rendered in Python, like ``QuickSelect``: the change form shows one group per link (60 on
    an imported article). ``legend`` is set by the form for its link; it is visually hidden,
    the row already shows the link, but a screen reader announces it with each option.
    """

    legend = ""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.pop("id", None) or f"id_{name}"
        chosen = self.format_value(value)
        options = []
        for index, (option_value, option_label) in enumerate(self.choices):
            option_id = f"{base_id}_{index}"
            options.append(
                format_html(
                    '<label for="{}" class="link-decision-{}">'
                    '<input type="radio" name="{}" value="{}" id="{}"{}{}> {}</label>',
                    option_id,
                    option_value,
                    name,
                    option_value,
                    option_id,
                    mark_safe(" checked") if str(option_value) in chosen else "",
                    flatatt(final_attrs),
                    option_label,
                )
            )
        return format_html(
            '<fieldset class="link-decision" id="{}"><legend class="visually-hidden">{}</legend>'
            "{}</fieldset>",
            base_id,
            self.legend,
            mark_safe("".join(options)),
        )

    def id_for_label(self, id_, index=None):
        # The fieldset's legend labels the group: no <label for> points at it.
        return ""


class TagListInput(forms.TextInput):
    """Tags as "hydrogène, énergie verte": comma-separated names, never quoted.

    The existing tags (``suggestions``) are offered through a ``<datalist>``;
    static/js/tag_input.js makes it complete the name being typed after the last comma.
    """

    suggestions: list[str] = []

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "data-tag-input": "", **(attrs or {})})

    def format_value(self, value):
        if value is None or isinstance(value, str):
            return value or None
        return ", ".join(sorted((getattr(tag, "name", tag) for tag in value), key=fold))

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        list_id = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs["list"] = list_id
        widget = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "", '<option value="{}"></option>', ((s,) for s in self.suggestions)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', widget, list_id, options)
