"""Type aliases the type-hinted modules share."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise

# A text shown to people: a ``str``, or a lazily translated one (``gettext_lazy``).
Text = str | Promise

# Whoever a request comes from (``request.user``): an account, or anonymous.
AnyUser = AbstractBaseUser | AnonymousUser
