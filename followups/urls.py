from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_up_list"),
    path("duos/<int:pk>/follow-ups/new/", views.FollowUpCreateView.as_view(), name="follow_up_create"),
    path("follow-ups/<int:pk>/edit/", views.FollowUpUpdateView.as_view(), name="follow_up_update"),
]
