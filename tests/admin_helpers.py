"""Helpers for tests that drive the admin as an editor would."""

import datetime

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.forms import CheckboxInput
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from news.management.commands.setupeditors import EDITORS_GROUP
from tests.factories import make_user


def editors_group() -> Group:
    call_command("setupeditors", verbosity=0)
    return Group.objects.get(name=EDITORS_GROUP)


def make_editor(username=None):
    """A staff member of the "Éditeurs" group, and nothing more."""
    return make_user(username, staff=True, groups=[editors_group()])


def login_editor(client, username=None):
    editor = make_editor(username)
    client.force_login(editor)
    return editor


def _field_value(bound_field):
    value = bound_field.value()
    if isinstance(bound_field.field, TagField):
        if value and not isinstance(value, str):
            return edit_string_for_tags(value)
        return value or ""
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return bound_field.field.widget.format_value(value)
    if isinstance(value, (list, tuple)):
        return [str(getattr(item, "pk", item)) for item in value]
    return str(value)


def form_values(form) -> dict:
    """What a browser would submit for ``form`` left as rendered (disabled fields are not sent)."""
    data = {}
    for bound_field in form:
        if bound_field.field.disabled:
            continue
        if isinstance(bound_field.field.widget, CheckboxInput):
            if bound_field.value():
                data[bound_field.html_name] = "on"
            continue
        data[bound_field.html_name] = _field_value(bound_field)
    return data


def changeform_data(response) -> dict:
    """The POST data of an admin change form as rendered in ``response``, inlines included."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def inline_prefix(response, model) -> str:
    """The form prefix of the inline formset for ``model`` in an admin change form."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise LookupError(f"no inline for {model.__name__}")


def messages_of(response) -> list[str]:
    """The messages a rendered admin page shows."""
    return [str(message) for message in response.context["messages"]]
