"""Personal API tokens on the profile page: make one (shown once), revoke one.
Only a signed-in session reaches these pages, past the second factor when the
user needs one (``accounts.middleware.SecondFactorRequiredMiddleware``): a
token, itself a credential, never makes another."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.views import ProfileView
from mentoring.forms import add_service_errors

from .forms import ApiTokenForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke, can_use_api

SECTION_ANCHOR = "#api-tokens"


class ApiTokenCreateView(ProfileView):
    """POST a name and a lifetime: the new token is shown on the answer page,
    once (not stored, not cached by the browser). On a form error the profile
    page comes back with the errors in the tokens section."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not can_use_api(request.user):
            raise PermissionDenied
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = api_token_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                response = render(request, "api/token_created.html", {"token": token, "secret": secret})
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(api_token_form=form))


@login_required
@require_POST
def api_token_revoke_view(request):
    """POST ``digest``: revoke one of your own tokens (another's is a 404)."""
    try:
        name = api_token_revoke(user=request.user, digest=request.POST.get("digest", ""))
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Token “%(name)s” revoked: it no longer opens the API.") % {"name": name})
    return HttpResponseRedirect(reverse("accounts:profile") + SECTION_ANCHOR)
