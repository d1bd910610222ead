from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("<slug:kind>/<int:pk>/personal-data/", views.PersonExportView.as_view(), name="person_export"),
    path("<slug:kind>/<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
]
