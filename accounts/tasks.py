"""Celery tasks of the accounts app."""

from celery import shared_task
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation


@shared_task(ignore_result=True)
def password_reset_send(*, email, domain, use_https, language):
    """Send Django's password-reset e-mail to the active accounts with ``email``
    (none for an unknown address), in ``language``, with links to ``domain``.
    Safe to run twice: each run sends a link that works until the password changes."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(domain_override=domain, use_https=use_https)
