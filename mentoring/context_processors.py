from django.utils.functional import SimpleLazyObject

from mentoring.models import Notification


def notifications(request):
    """The header's unread count, read only by pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())}
