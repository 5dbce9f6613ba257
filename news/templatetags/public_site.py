"""Template helpers of the public site."""

from django import template

from news.seo import absolute_url as _absolute_url
from news.seo import json_ld_script

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
