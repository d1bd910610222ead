from django.urls import path

from . import token_views

app_name = "api_tokens"
urlpatterns = [
    path("new/", token_views.ApiTokenCreateView.as_view(), name="create"),
    path("revoke/", token_views.api_token_revoke_view, name="revoke"),
]
