"""Views of the site as a service, outside the public pages."""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
def health(request):
    """``/sante/``: 200 when every configured database answers a trivial query, else 503.

    For load balancers and uptime probes: JSON, never cached, no page rendering.
    """
    databases = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            logger.error("Health check: database %r unavailable: %s", alias, error)
            databases[alias] = "unavailable"
        else:
            databases[alias] = "ok"
    healthy = all(state == "ok" for state in databases.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "databases": databases},
        status=200 if healthy else 503,
    )


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page says: the
    icon under its versioned static address (a temporary redirect, since that address changes
    with every new icon)."""
    return redirect(static("img/favicon.ico"))
