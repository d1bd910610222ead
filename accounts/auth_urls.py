"""Sign-in URLs that replace Django's (same names, no namespace, so
``{% url 'login' %}`` keeps working); ``django.contrib.auth.urls`` serves the rest."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
]
