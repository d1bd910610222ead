"""URLs of the REST API: ``/api/v1/`` (the resources), ``/api/schema/`` (the
OpenAPI schema) and ``/api/docs/`` (its readable docs)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import docs, figures, followups, people, programmes, records


class Router(DefaultRouter):
    """The default router, whose index (``/api/v1/``) also lists the figures,
    a plain view outside the router's viewsets."""

    def get_api_root_view(self, api_urls=None):
        api_root_dict = {
            prefix: self.routes[0].name.format(basename=basename) for prefix, _viewset, basename in self.registry
        }
        api_root_dict["figures"] = "figures"
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
router.register("partners", programmes.PartnerViewSet, basename="partner")
router.register("programmes", programmes.ProgrammeViewSet, basename="programme")
router.register("conventions", programmes.FundingConventionViewSet, basename="convention")
router.register("mentors", people.MentorViewSet, basename="mentor")
router.register("mentees", people.MenteeViewSet, basename="mentee")
router.register("duos", records.DuoViewSet, basename="duo")
router.register("meetings", records.MeetingViewSet, basename="meeting")
router.register("outcomes", records.OutcomeViewSet, basename="outcome")
router.register("follow-ups", followups.FollowUpViewSet, basename="follow-up")

app_name = "api"
urlpatterns = [
    path("v1/figures/", figures.FiguresView.as_view(), name="figures"),
    path("v1/", include(router.urls)),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
]
