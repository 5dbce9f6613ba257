"""Forms of the articles' back-office: the article, the review of its links, "add tag"."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag

from news.models import Article, LinkMethod, LinkStatus
from news.review import TextSearch, confidence_percent, fold
from news.services.curation import LINK_TARGET_FIELDS
from news.widgets import LinkDecisionSelect, TagListInput

# The existing tags offered while typing: enough for any newsroom's vocabulary.
TAG_SUGGESTIONS = 2000


def parse_tag_list(value: str) -> list[str]:
    """Tag names from "hydrogène, énergie verte": a comma separates tags, spaces do not.

    Quotes around a name (the way taggit wrote a name holding a space) are dropped.
    """
    names = (name.strip().strip('"').strip() for name in (value or "").split(","))
    return list(dict.fromkeys(name for name in names if name))


class TagListField(forms.CharField):
    """Comma-separated tag names, edited as plain text with the existing tags suggested."""

    widget = TagListInput

    def prepare_value(self, value):
        return self.widget.format_value(value)

    def clean(self, value):
        value = super().clean(value)
        names = parse_tag_list(value)
        too_long = [name for name in names if len(name) > Tag._meta.get_field("name").max_length]
        if too_long:
            raise forms.ValidationError(
                _("Étiquette trop longue : « %(name)s »."), params={"name": too_long[0]}
            )
        return names

    def has_changed(self, initial, data):
        initial_names = parse_tag_list(self.prepare_value(initial) or "")
        return sorted(map(fold, initial_names)) != sorted(map(fold, parse_tag_list(data or "")))


class ArticleAdminForm(forms.ModelForm):
    tags = TagListField(
        label=_("Étiquettes"),
        required=False,
        help_text=_(
            "Séparées par des virgules, par exemple : hydrogène, énergie verte. "
            "Les étiquettes existantes sont proposées pendant la saisie."
        ),
    )

    class Meta:
        model = Article
        # The admin's fieldsets choose the fields; the form only brings the tag widget.
        fields = ["tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tags" in self.fields:
            names = Tag.objects.order_by("name").values_list("name", flat=True)
            self.fields["tags"].widget.suggestions = list(names[:TAG_SUGGESTIONS])


# Link review ---------------------------------------------------------------------------------


class Decision:
    KEEP = "keep"
    REJECT = "reject"
    UNDECIDED = "undecided"

    LABELS = {
        KEEP: pgettext_lazy("link decision", "Garder"),
        REJECT: pgettext_lazy("link decision", "Rejeter"),
        UNDECIDED: pgettext_lazy("link decision", "À décider"),
    }


def article_text_search(article: Article) -> TextSearch:
    """The article's texts, folded once for all its links (the four inlines share it).

    Searched in this order: the first text holding the matched words gives the sentence.
    """
    search = getattr(article, "_review_text_search", None)
    if search is None:
        search = TextSearch(
            [
                (gettext("titre"), article.title),
                (gettext("chapô"), article.lead),
                (gettext("corps"), article.body),
                # A kicker is a word or two: a sentence of the text says more, when there is one.
                (gettext("surtitre"), article.kicker),
                (gettext("texte source"), article.source_text),
            ]
        )
        article._review_text_search = search
    return search


class LinkReviewForm(forms.ModelForm):
    """One article link and the editor's choice: keep it, reject it, or decide later.

    Keeping confirms a suggested link; rejecting removes the link and remembers the rejection
    so that the importer does not make it again; "À décider" leaves a suggestion as it is and
    takes a confirmed imported link back to a suggestion. A link added by hand is the editor's
    own: it can be kept or rejected, not left undecided.

    The target of an existing link cannot be changed: an editor rejects the wrong link and
    adds the right one, so that the importer learns the rejection.
    """

    decision = forms.ChoiceField(
        label=_("décision"), required=False, widget=LinkDecisionSelect, choices=()
    )

    def __init__(self, *args, can_confirm=False, can_reject=False, text_search=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_name = LINK_TARGET_FIELDS[self._meta.model]
        self.text_search = text_search
        link = self.instance
        field = self.fields.get("decision")
        if field is None:  # a read-only inline (view permission only)
            return
        if link.pk is None:
            # A link added by an editor is confirmed by construction.
            field.choices = [(Decision.KEEP, Decision.LABELS[Decision.KEEP])]
            field.initial = Decision.KEEP
            field.disabled = True
            return
        if self.target_name in self.fields:
            self.fields[self.target_name].disabled = True
        confirmed = link.status == LinkStatus.CONFIRMED
        options = []
        if can_confirm or confirmed:
            options.append(Decision.KEEP)
        if can_reject:
            options.append(Decision.REJECT)
        if not confirmed or (can_confirm and link.method != LinkMethod.EDITOR):
            options.append(Decision.UNDECIDED)
        field.choices = [(option, Decision.LABELS[option]) for option in options]
        field.initial = Decision.KEEP if confirmed else Decision.UNDECIDED
        field.disabled = len(options) < 2
        field.widget.legend = gettext("Décision pour le lien « %(target)s »") % {
            "target": self.target
        }

    @property
    def target(self):
        return getattr(self.instance, self.target_name, None)

    @property
    def target_field(self):
        return self[self.target_name] if self.target_name in self.fields else None

    @property
    def other_fields(self):
        """The link's own editable fields besides its target (a person's role)."""
        return [
            self[name]
            for name in self.fields
            if name not in (self.target_name, "decision") and not self[name].is_hidden
        ]

    @property
    def decision_field(self):
        field = self.fields.get("decision")
        return self["decision"] if field is not None and not field.disabled else None

    @property
    def confidence_percent(self) -> int:
        return confidence_percent(self.instance.confidence)

    def context_html(self):
        """The sentence around the matched words, the match in ``<mark>``, or why there is none."""
        matched = self.instance.matched_text
        if not matched:
            return gettext("Aucun texte repéré enregistré.")
        excerpt = self.text_search.excerpt(matched) if self.text_search else None
        if excerpt is None:
            return format_html(
                "{} <mark>{}</mark>", gettext("Introuvable dans le texte actuel :"), matched
            )
        return format_html(
            '<span class="link-where">{}</span> {}',
            gettext("Dans le %(where)s :") % {"where": excerpt.where},
            excerpt.html(),
        )


class LinkReviewFormSet(BaseInlineFormSet):
    """Flags set by the inline from the editor's permissions (see ``LinkInline``)."""

    can_confirm = False
    can_reject = False

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs.update(
            can_confirm=self.can_confirm,
            can_reject=self.can_reject,
            text_search=article_text_search(self.instance),
        )
        return kwargs


class ConfirmAboveForm(forms.Form):
    """ "Confirm every suggested link at or above X %" on the article form."""

    confirm_above = forms.IntegerField(
        label=_("Confirmer tous les liens suggérés dont la confiance atteint"),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(
            attrs={"class": "vIntegerField", "aria-describedby": "confirm-above-help"}
        ),
    )


class AddTagForm(forms.Form):
    tags = TagField(
        label=_("Étiquettes à ajouter"),
        help_text=_("Séparées par des virgules, par exemple : hydrogène, emploi."),
    )
