from django.urls import path

from . import views, views_published

app_name = "reporting"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("table/", views.DashboardTableExportView.as_view(), name="dashboard_table_export"),
    path("reports/", views.ReportRequestListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportRequestCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/", views.ReportRequestDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/status/", views.ReportRequestStatusView.as_view(), name="report_status"),
    path("reports/<int:pk>/retry/", views.ReportRequestRetryView.as_view(), name="report_retry"),
    path("reports/<int:pk>/download/", views.ReportDownloadView.as_view(), name="report_download"),
    path("published/", views_published.PublishedReportListView.as_view(), name="published_list"),
    path("published/<int:pk>/", views_published.PublishedReportDetailView.as_view(), name="published_detail"),
    path(
        "published/<int:pk>/<slug:format>/",
        views_published.PublishedFileDownloadView.as_view(),
        name="published_download",
    ),
]
