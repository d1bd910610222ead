from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/new/", views.PartnerCreateView.as_view(), name="partner_create"),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<int:pk>/edit/", views.PartnerUpdateView.as_view(), name="partner_update"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("conventions/", views.FundingConventionListView.as_view(), name="convention_list"),
    path("conventions/new/", views.FundingConventionCreateView.as_view(), name="convention_create"),
    path("conventions/<int:pk>/", views.FundingConventionDetailView.as_view(), name="convention_detail"),
    path("conventions/<int:pk>/edit/", views.FundingConventionUpdateView.as_view(), name="convention_update"),
]
