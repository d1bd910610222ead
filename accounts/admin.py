"""Admin: the sign-in form enforces the username length; an administrator can
reset the second factor of users who lost their phone."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import AdminLoginForm
from .two_factor import second_factor_reset

admin.site.login_form = AdminLoginForm

User = get_user_model()


@admin.action(description=_("Reset the second factor (lost phone)"))
def reset_second_factor(modeladmin, request, queryset):
    """Remove the users' authenticator apps and recovery codes: at their next
    sign-in those who must use two-factor sign-in set it up again."""
    for user in queryset:
        second_factor_reset(user=user)
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext(
            "The second factor of %(count)d user was reset.",
            "The second factor of %(count)d users was reset.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    actions = [reset_second_factor]
