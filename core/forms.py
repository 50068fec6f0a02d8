from django.core.exceptions import ValidationError


def validated_write(form, write):
    """Run a service write; its validation errors land on the form, and nothing is saved. An error
    about something the form has no field for (the item a review is about) is the form's own."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return None
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


def errors_text(form) -> str:
    """A form's errors as one message, for a page that redirects back and says it at the top."""
    return " ".join(error for errors in form.errors.values() for error in errors)
