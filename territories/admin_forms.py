"""Forms of the editors' back-office that are not model forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from territories.models import Organisation


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        details = [obj.get_kind_display()]
        if obj.acronym:
            details.append(obj.acronym)
        if obj.home_territory_id:
            details.append(str(obj.home_territory))
        count = getattr(obj, "article_count", None)
        if count is not None:
            details.append(_("%(count)d article(s)") % {"count": count})
        return f"{obj.name} ({', '.join(details)})"


class OrganisationMergeForm(forms.Form):
    """Choose which of the selected organisations survives the merge."""

    survivor = OrganisationChoiceField(
        label=_("Organisation conservée"),
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        help_text=_(
            "Les liens d'articles et les alias des autres organisations lui sont rattachés ; "
            "leurs noms deviennent des alias ; elles sont ensuite supprimées."
        ),
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["survivor"]
        field.queryset = Organisation.objects.filter(pk__in=[org.pk for org in organisations])
        # Keep the order and annotations of the list the editor selected.
        field.choices = [(org.pk, field.label_from_instance(org)) for org in organisations]
        if organisations:
            field.initial = organisations[0].pk
