"""What every app's forms share with the services behind them: how a service's
``ValidationError`` lands on a form."""

# The code of the error a save gets when the record changed since the form was
# opened (views then let the user save again over the newer version).
STALE_CODE = "stale"


def add_service_errors(form, error):
    """Put a service ``ValidationError`` on ``form``: messages keyed by a field
    of the form go next to that field, the others on top of the form. When the
    record changed since the form was shown (``STALE_CODE``), the form's
    version moves to the record's current one: the input is kept, and saving
    again replaces the newer changes knowingly."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
        if getattr(error, "code", None) == STALE_CODE and hasattr(form, "refresh_version"):
            form.refresh_version(form.current_record())
