from django.db import migrations
from django.db.models import Count, Q


def count_unread(apps, schema_editor):
    """The counter starts at each user's unread notifications; mentoring.services keeps it since."""
    User = apps.get_model("accounts", "User")
    unread = User.objects.annotate(n=Count("notifications", filter=Q(notifications__read_at__isnull=True))).filter(n__gt=0)
    for user in unread:
        User.objects.filter(pk=user.pk).update(unread_notifications=user.n)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_unread_notifications"),
        ("mentoring", "0002_teams"),
    ]

    operations = [migrations.RunPython(count_unread, migrations.RunPython.noop)]
