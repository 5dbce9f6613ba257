"""Request guards shared by every URL, public or admin."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from config.routers import replica_reads

# The longest value accepted for a query-string parameter. A search box needs far less
# (the article search form stops at 200 characters); a longer value is an attack or a bug,
# and 60,000 characters make SQLite fail ("LIKE or GLOB pattern too complex").
MAX_SEARCH_LENGTH = 1_000
MAX_PARAMETER_LENGTH = 2_000
SEARCH_PARAMETERS = frozenset({"q", "term"})


def parameter_limit(name: str) -> int:
    return MAX_SEARCH_LENGTH if name in SEARCH_PARAMETERS else MAX_PARAMETER_LENGTH


def request_problem(request: HttpRequest) -> str | None:
    """Why the request cannot be answered, or ``None``.

    A NUL character is refused everywhere — path, query string, form fields — since
    PostgreSQL cannot store or compare it (a 500 on every lookup). Length is bounded on the
    query string only: admin forms post long texts (an article's body), bounded as a whole by
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
    """
    if "\x00" in request.path:
        return _("L'adresse contient un caractère nul.")
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return _("Le paramètre « %(name)s » contient un caractère nul.") % {
                "name": name.replace("\x00", "")
            }
        limit = parameter_limit(name)
        if len(name) > MAX_PARAMETER_LENGTH or any(len(value) > limit for value in values):
            return _("Le paramètre « %(name)s » dépasse %(limit)s caractères.") % {
                "name": name.replace("\x00", "")[:100],
                "limit": limit,
            }
    if request.method == "POST":
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return _("Le champ « %(name)s » contient un caractère nul.") % {
                    "name": name.replace("\x00", "")[:100]
                }
    return None


class RejectMalformedRequestsMiddleware:
    """Answers 400 with a French explanation instead of letting a view fail with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_problem(request)
        if problem is not None:
            return HttpResponse(render_to_string("400.html", {"reason": problem}), status=400)
        return self.get_response(request)


def reads_from_replica(request: HttpRequest) -> bool:
    """An anonymous reader's GET or HEAD outside the admin: a replica's copy is fine.

    Editors carry a session cookie (only they log in): their requests, like every admin
    page and every POST, read from the primary and so see what they just wrote.
    """
    return (
        request.method in {"GET", "HEAD"}
        and not request.path_info.startswith(reverse("admin:index"))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReplicaReadsMiddleware:
    """Lets ``config.routers.PrimaryReplicaRouter`` send this request's reads to the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with replica_reads(reads_from_replica(request)):
            return self.get_response(request)
