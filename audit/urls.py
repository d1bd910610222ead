from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("history/<slug:kind>/<int:pk>/", views.RecordHistoryView.as_view(), name="record_history"),
]
