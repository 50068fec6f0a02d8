from django.core.exceptions import ValidationError


def validated_write(form, write):
    """Run a service write; its validation errors land on the form, and nothing is saved."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
