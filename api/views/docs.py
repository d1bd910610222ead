"""The OpenAPI schema and its readable docs.

The docs page is Swagger UI (vendored in ``static/vendor/swagger-ui/``, no
CDN) inside the site's layout; it is started by ``static/js/api-docs.js``
because the Content-Security-Policy allows no inline script or style.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of ``/api/v1/`` (YAML, or JSON with
    ``?format=json``), for anyone signed in or holding a token."""


class DocsView(LoginRequiredMixin, TemplateView):
    """Readable docs of the API, where a signed-in user may also try it with
    their session."""

    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["schema_url"] = reverse("api:schema") + "?format=json"
        return context
