from django.urls import path

from . import two_factor_views, views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("two-factor/", two_factor_views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/setup/", two_factor_views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/recovery-codes/", two_factor_views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("two-factor/disable/", two_factor_views.two_factor_disable, name="two_factor_disable"),
]
