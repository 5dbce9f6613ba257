"""Counts written the French way: « aucun article », « 1 article », « 12 articles ».

Source strings are French and ``ngettext`` falls back to the English rule without a catalog
(0 would take the plural): zero gets its own sentence, which French prefers anyway.
"""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext, ngettext

register = template.Library()


def article_count_text(count: int | None, *, published: bool = False) -> str:
    count = count or 0
    if count == 0:
        return gettext("aucun article publié") if published else gettext("aucun article")
    if published:
        text = ngettext("%(count)s article publié", "%(count)s articles publiés", count)
    else:
        text = ngettext("%(count)s article", "%(count)s articles", count)
    return text % {"count": intcomma(count)}


@register.simple_tag
def article_count(count, published=False):
    """``{% article_count n %}`` → « aucun article », « 1 article », « 1 234 articles »;
    ``published=True`` adds « publié(s) »."""
    return article_count_text(count, published=published)
