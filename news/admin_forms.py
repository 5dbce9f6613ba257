"""Forms of the articles' back-office: review of automatic links and the "add tag" action."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from news.models import LinkStatus
from news.services.curation import LINK_TARGET_FIELDS


class LinkReviewForm(forms.ModelForm):
    """One article link: confirm it or reject it (a rejection is remembered by the importer).

    The target of an existing link cannot be changed: an editor rejects the wrong link and
    adds the right one, so that the importer learns the rejection.
    """

    confirm = forms.BooleanField(label=_("confirmer"), required=False)
    reject = forms.BooleanField(label=_("rejeter"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = LINK_TARGET_FIELDS[self._meta.model]
        if self.instance.pk is None:
            # A link added by an editor is confirmed by construction.
            self.fields["confirm"].disabled = True
            self.fields["reject"].disabled = True
        else:
            if target in self.fields:
                self.fields[target].disabled = True
            if self.instance.status == LinkStatus.CONFIRMED:
                self.fields["confirm"].initial = True
                self.fields["confirm"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("confirm") and cleaned.get("reject") and "confirm" in self.changed_data:
            raise forms.ValidationError(_("Un lien ne peut pas être à la fois confirmé et rejeté."))
        return cleaned


class LinkReviewFormSet(BaseInlineFormSet):
    """Flags set by the inline from the editor's permissions (see ``LinkInline``)."""

    can_confirm = False
    can_reject = False


class AddTagForm(forms.Form):
    tags = TagField(
        label=_("Étiquettes à ajouter"),
        help_text=_("Séparées par des virgules, par exemple : hydrogène, emploi."),
    )
