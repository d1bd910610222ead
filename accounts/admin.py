"""The Django admin's sign-in form enforces the username length too."""

from django.contrib import admin

from .forms import AdminLoginForm

admin.site.login_form = AdminLoginForm
