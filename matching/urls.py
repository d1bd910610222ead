from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("waiting/", views.WaitingListView.as_view(), name="waiting_list"),
    path("mentees/<int:pk>/suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
]
