def notifications(request):
    """The header's unread count: a counter on the user that mentoring.services keeps."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.unread_notifications}
