"""Settings of the server ``make bench-http`` loads: the production settings, plus one page.

The page (``/_bench/plafond/``, see ``urls_http.py``) renders a 20-item template (no layout, no
database) through the same middleware and workers: the ceiling the public pages are
compared with. It exists only in this module, never in the site's own URLs.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls_http"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
