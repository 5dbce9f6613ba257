"""Readers first: public pages and the data they derive, cached under the content version.

``public_page(view)`` wraps every public view in the URLconfs. For an anonymous reader's GET or
HEAD it answers, in this order:

1. ``304 Not Modified`` when the request's ``If-None-Match`` (or ``If-Modified-Since``) matches
   the page's validators, which come from the content version and the address alone: nothing
   is read or rendered;
2. the page stored in the cache (``CACHES["default"]``) under the version and the address;
3. the view, whose response is stored when it is safe to share (a 200 that sets no cookie, no
   CSRF token, no session, and is not marked private).

Logged-in users — anyone with a session cookie: editors, staff previewing drafts — always get
the view itself, marked ``Cache-Control: private``. Every response says ``Vary: Cookie``.

The uncached path reuses what does not change between versions: ``per_version()`` keeps a
value in process memory for the current version (the filter choices and their rendered
options), ``cached_per_version()`` keeps data in the cache (the article counts of a région,
the candidates of a search), ``fragments`` keeps rendered article cards.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.translation import get_language

from news.versioning import Version, current_version

# A new version makes the old entries unreachable; the timeout only frees their memory.
PAGE_TIMEOUT = 24 * 3600
DATA_TIMEOUT = 24 * 3600
# Last-Modified has a one-second resolution: it is only sent once the version is older than
# that, so that a change in the same second as the previous one cannot look unmodified.
LAST_MODIFIED_DELAY = datetime.timedelta(seconds=1)


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=12).hexdigest()


def is_private_request(request) -> bool:
    """An editor or any visitor with a session: never served from, nor stored in, the cache."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def page_key(request, version: Version) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"public-page:{version.token}:{get_language()}:{_digest(address)}"


def _last_modified(version: Version) -> int | None:
    changed_at = version.changed_at
    if changed_at is None or timezone.now() - changed_at < LAST_MODIFIED_DELAY:
        return None
    return int(changed_at.timestamp())


def _shareable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # A CSRF token in the page, or a session just created, means a cookie for this visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _with_validators(response, etag: str, last_modified: int | None):
    response.headers["ETag"] = etag
    if last_modified is None:
        response.headers.pop("Last-Modified", None)
    else:
        response.headers["Last-Modified"] = http_date(last_modified)
    # Stored by browsers and proxies, but checked with the validators before every use.
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _stored(response) -> tuple:
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in {"etag", "last-modified", "vary", "cache-control"}
    )
    return response.status_code, headers, response.content


def _restored(stored: tuple) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def public_page(view: Callable) -> Callable:
    """Serve ``view`` to anonymous readers from the cache, with ETag and Last-Modified."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"} or is_private_request(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
            return response
        version = current_version(request)
        key = page_key(request, version)
        etag = f'"{_digest(key)}"'
        last_modified = _last_modified(version)
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is not None:
            if conditional.status_code == 304:
                return _with_validators(conditional, etag, last_modified)
            return conditional
        stored = cache.get(key)
        if stored is not None:
            return _with_validators(_restored(stored), etag, last_modified)
        response = view(request, *args, **kwargs)
        if not getattr(response, "is_rendered", True):
            response.render()
        if not _shareable(request, response):
            patch_vary_headers(response, ("Cookie",))
            return response
        cache.set(key, _stored(response), PAGE_TIMEOUT)
        return _with_validators(response, etag, last_modified)

    return wrapper


# Data of the uncached path ---------------------------------------------------------------

_per_version: dict[str, tuple[str, Any]] = {}


def per_version(name: str, version: Version, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per process and content version: small data every page shows.

    Kept in process memory, not in the cache: it is read on every request, and unpickling
    would cost what computing it again does. Only the last version's value is kept.
    """
    known = _per_version.get(name)
    if known is not None and known[0] == version.token:
        return known[1]
    value = compute()
    _per_version[name] = (version.token, value)
    return value


def cached_per_version(name: str, identity, version: Version, compute: Callable[[], Any]):
    """``compute()`` once per content version, kept in the cache (shared by the workers).

    For data that costs a query to read again (a région's counts, a search's candidates):
    ``identity`` tells the sets apart (the filters of a list, an object's primary key).
    """
    key = f"data:{name}:{version.token}:{_digest(repr(identity))}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DATA_TIMEOUT)
    return value


class Fragments:
    """Rendered fragments of the current content version, in process memory.

    Article cards appear on every list, home and territory page, and each costs about as much
    to render as the rest of the page: rendered once per version, they are reused by every
    page that shows them. At most ``limit`` fragments are kept (the oldest half goes first).
    """

    def __init__(self, limit: int = 5000):
        self.limit = limit
        self.token: str | None = None
        self.items: dict[str, Any] = {}

    def _for(self, version: Version) -> dict[str, Any]:
        if self.token != version.token:
            self.token, self.items = version.token, {}
        return self.items

    def get_many(self, version: Version, keys) -> dict[str, Any]:
        items = self._for(version)
        return {key: items[key] for key in keys if key in items}

    def set(self, version: Version, key: str, value: Any) -> None:
        items = self._for(version)
        if len(items) >= self.limit:
            for old in list(items)[: self.limit // 2]:
                del items[old]
        items[key] = value

    def clear(self) -> None:
        self.token, self.items = None, {}


fragments = Fragments()

# Layout parts (``{% frozen %}``), by name, language and the values they vary on: they depend
# on the templates and the settings only, which change with a new process, not within one.
layout_fragments: dict[tuple, str] = {}


def clear_local(**kwargs) -> None:
    """Forget what this process keeps per version and the layout parts (tests, a changed
    setting); the shared cache is not touched."""
    _per_version.clear()
    fragments.clear()
    layout_fragments.clear()


setting_changed.connect(clear_local, dispatch_uid="news_caching_clear_local")
