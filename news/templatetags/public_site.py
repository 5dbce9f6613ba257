"""Template helpers of the public site."""

import hashlib

from django import template
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from news.caching import fragments, layout_fragments
from news.selectors import card_territories
from news.seo import absolute_url as _absolute_url
from news.seo import json_ld_script
from news.versioning import current_version

register = template.Library()


@register.simple_tag
def json_ld(data):
    """``{% json_ld data %}``: structured data that a title containing "</script>" cannot break."""
    return json_ld_script(data) if data else ""


@register.filter
def absolute(path):
    """``{{ article.get_absolute_url|absolute }}``: the address under ``SITE_URL``."""
    return _absolute_url(path)


@register.filter
def page_range(page):
    """``{% for n in page_obj|page_range %}``: page numbers around the current one, elided."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def content_version(context):
    """``{% content_version as version %}``: for ``{% cache … version.token %}`` fragments,
    which a change of the public content then renders again."""
    return current_version(context.get("request"))


def _fragment_key(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@register.simple_tag(takes_context=True)
def article_cards(context, articles, heading_level="", compact=False):
    """``{% article_cards articles %}``: a ``<li>`` per card of ``includes/article_card.html``.

    Each card is rendered once per content version and process (``news.caching.fragments``):
    a list, home or territory page then only renders the cards nobody asked for yet, and
    reads the territories of those only.
    """
    version = current_version(context.get("request"))
    language = get_language()
    keys = [
        _fragment_key(
            "card",
            language,
            article.pk,
            heading_level,
            bool(compact),
            getattr(article, "snippet", None),
        )
        for article in articles
    ]
    known = fragments.get_many(version, keys)
    missing = [article for article, key in zip(articles, keys, strict=True) if key not in known]
    if missing and not compact:
        prefetch_related_objects(missing, card_territories())
    template = get_template("includes/article_card.html")
    parts = []
    for article, key in zip(articles, keys, strict=True):
        html = known.get(key)
        if html is None:
            html = template.render(
                {"article": article, "heading_level": heading_level, "compact": compact}
            )
            fragments.set(version, key, html)
        parts.append(f"<li>{html}</li>")
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def filter_fields(context, filterset):
    """``{% filter_fields filter %}``: every field of a filter form (``form_field.html``).

    Rendered once per content version and query string (the page number aside): the same
    filters on page 1 and page 40, or with another sort parameter, show the same form.
    """
    form = filterset.form
    data = form.data
    getlist = getattr(data, "getlist", None)
    bound = tuple(
        (name, tuple(getlist(name)) if getlist else (data.get(name),))
        for name in form.fields
        if name in data
    )
    key = _fragment_key("filters", get_language(), type(filterset).__name__, form.is_bound, bound)
    version = current_version(context.get("request"))
    html = fragments.get_many(version, [key]).get(key)
    if html is None:
        template = get_template("includes/form_field.html")
        html = "".join(template.render({"field": field}) for field in form)
        fragments.set(version, key, html)
    return mark_safe(html)


class FrozenNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        key = (
            self.name.resolve(context),
            get_language(),
            *(str(value.resolve(context)) for value in self.vary_on),
        )
        html = layout_fragments.get(key)
        if html is None:
            html = layout_fragments[key] = self.nodelist.render(context)
        return html


@register.tag
def frozen(parser, token):
    """``{% frozen "name" value… %}…{% endfrozen %}``: rendered once per process and values.

    For markup that only depends on the templates, the settings and the given values — the
    layout's header (the current section), footer and links — which every page repeated:
    a dozen ``{% url %}`` and some twenty translations, more than a small page's content.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% frozen %} needs a name.")
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    return FrozenNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
