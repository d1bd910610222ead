from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportListView.as_view(), name="import_list"),
    path("new/", views.ImportCreateView.as_view(), name="import_create"),
    path("template/", views.TemplateDownloadView.as_view(), name="template"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/progress/", views.ImportStatusView.as_view(), name="import_progress"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("<int:pk>/discard/", views.ImportDiscardView.as_view(), name="import_discard"),
    path("<int:pk>/retry/", views.ImportRetryView.as_view(), name="import_retry"),
    path("<int:pk>/check-again/", views.ImportRecheckView.as_view(), name="import_recheck"),
]
