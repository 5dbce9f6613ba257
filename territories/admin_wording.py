"""Inline wording: "Ajouter un territoire" rather than Django's "Ajouter un objet Lien
article–territoire supplémentaire".

Django builds the text of an inline's "add another" link from the inline's model name, and
French needs the article and gender the name does not carry: an inline may declare
``add_another_label`` and the model admin's mixin puts it in place.
"""

import json

from django.contrib.admin import helpers


class AddAnotherLabelFormSet(helpers.InlineAdminFormSet):
    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        label = getattr(self.opts, "add_another_label", None)
        if label:
            data["options"]["addText"] = str(label)
        return json.dumps(data)


class AddAnotherLabelMixin:
    """For a ModelAdmin whose inlines declare ``add_another_label``."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            # Same state, one method more: the admin builds the plain class itself.
            inline_admin_formset.__class__ = AddAnotherLabelFormSet
        return inline_admin_formsets
