"""The site's URLs plus the no-database ceiling page of ``make bench-http``."""

from django.urls import path
from django.views.generic import TemplateView

from config.urls import urlpatterns as site_urlpatterns


class CeilingView(TemplateView):
    template_name = "bench/ceiling.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = [
            {"title": f"Élément n° {n} <de test>", "url": f"/articles/element-{n}/"}
            for n in range(1, 21)
        ]
        return context


urlpatterns = [
    path("_bench/plafond/", CeilingView.as_view(), name="bench-ceiling"),
    *site_urlpatterns,
]
