"""The editors' admin site: Django's, with the work queue on its index page."""

from django.contrib import admin


class EditorsAdminSite(admin.AdminSite):
    # The list of every model down the left side took 275 px of a 1,366 px screen, and the
    # article list's last columns were cut off: the breadcrumbs and the index lead there.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        # Imported here: this module is loaded while the app registry is being populated.
        from news.dashboard import editor_work_queue

        context = {"work_queue": editor_work_queue(user=request.user), **(extra_context or {})}
        return super().index(request, extra_context=context)
