from django.db import transaction

from accounts.models import User


def user_delete(*, user: User) -> None:
    """Remove the learner and, through the database's cascades, everything they recorded."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).delete()
