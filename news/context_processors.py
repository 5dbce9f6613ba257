from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static

# The default picture shared with a link to any public page (og:image, twitter:image): a page
# may override the layout's ``share_image`` block with its own.
SHARE_IMAGE = "img/share.png"


def site(request):
    """The site's name and public address, for the layout, meta tags and robots.txt, and the
    absolute address of the default share image (social networks need a full URL)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SHARE_IMAGE_URL": urljoin(f"{settings.SITE_URL}/", static(SHARE_IMAGE)),
    }
