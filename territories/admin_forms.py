"""Forms of the editors' back-office that are not model forms."""

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from territories.admin_filters import MAX_PK
from territories.models import Organisation

# The merge page compares its organisations side by side: more would not fit a screen.
MERGE_MAX = 6


def merge_candidates(ids) -> list[Organisation]:
    """The organisations named by ``ids`` (text from the address), most linked first, with
    what the merge page shows of them; unknown or malformed ids are ignored."""
    from news.models import LinkStatus  # news depends on territories, not the reverse

    pks = []
    for value in ids:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < pk <= MAX_PK and pk not in pks:
            pks.append(pk)
    if not 2 <= len(pks) <= MERGE_MAX:
        return []
    return list(
        Organisation.objects.filter(pk__in=pks)
        .select_related("home_territory")
        .prefetch_related("aliases")
        .annotate(
            link_count=Count("article_links"),
            confirmed_count=Count(
                "article_links", filter=Q(article_links__status=LinkStatus.CONFIRMED)
            ),
        )
        .order_by("-link_count", "created_at", "pk")
    )


class OrganisationMergeForm(forms.Form):
    """Which of the organisations compared is kept, and the editor's confirmation."""

    survivor = forms.TypedChoiceField(
        label=_("Organisation conservée"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "Les liens d’articles et les alias des autres organisations lui sont rattachés ; "
            "leurs noms et sigles deviennent ses alias ; les autres fiches sont supprimées."
        ),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que la fusion est définitive et ne peut pas être annulée."),
        required=True,
        error_messages={"required": _("Cochez la case pour confirmer la fusion.")},
    )

    def __init__(self, *args, ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = merge_candidates(ids)
        field = self.fields["survivor"]
        field.choices = [(org.pk, org.name) for org in self.organisations]
        if self.organisations:
            # The most linked one: the fewest links move.
            field.initial = self.organisations[0].pk

    def clean_survivor(self):
        pk = self.cleaned_data["survivor"]
        return next(org for org in self.organisations if org.pk == pk)
