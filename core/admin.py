from django.contrib import admin, messages

from core.mail import mail_retry
from core.models import Mail


class ReadOnlyAdminMixin:
    """A record of what happened: staff read it, nobody edits or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Mail)
class MailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox: what was sent, what waits, and what failed (with the error), to retry."""

    list_display = ["created_at", "to", "subject", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state"]
    search_fields = ["to", "subject", "key"]
    readonly_fields = [f.name for f in Mail._meta.fields]
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        # The rows stay read-only; sending again is what the "change mail" permission grants.
        return request.user.has_perm("core.change_mail")

    @admin.action(description="Send the selected failed mails again", permissions=["retry"])
    def retry(self, request, queryset):
        count = mail_retry(mails=queryset)
        self.message_user(request, f"{count} failed mail(s) queued again.", messages.SUCCESS)
