"""Writes of the accounts app: password reset requests, second factors."""

from django.db import transaction


def password_reset_request(*, email: str, domain: str, use_https: bool, language: str) -> None:
    """Queue the password-reset e-mail for ``email`` once the request commits.

    The request itself never looks the address up: the background task does,
    and sends nothing for an unknown address. So the page answers in the same
    time whether or not an account has that address, and says the same thing.
    """
    from accounts.tasks import password_reset_send

    transaction.on_commit(
        lambda: password_reset_send.delay(email=email, domain=domain, use_https=use_https, language=language)
    )
