from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from mentoring.models import Invitation, Mentorship, Notification, Review


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "inviter", "kind", "state", "created_at", "expires_at"]
    list_filter = ["kind", "state"]
    search_fields = ["email", "inviter__email"]
    list_select_related = ["inviter"]
    # The link's token is only a digest; an invitation is answered by its invitee, never edited here.
    readonly_fields = ["kind", "inviter", "email", "created_at", "expires_at", "responded_at", "invitee"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "share_notes", "started_at", "ended_at"]
    list_filter = ["share_notes", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["mentee__email", "mentor__email"]
    list_select_related = ["mentee", "mentor"]
    readonly_fields = ["mentee", "mentor", "invitation", "share_notes", "started_at", "ended_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a review is the mentor's word at a point in time."""

    list_display = ["item", "mentee", "mentor", "verdict", "created_at"]
    list_filter = ["verdict"]
    search_fields = ["mentee__email", "mentor__email", "item__title"]
    list_select_related = ["item", "mentee", "mentor"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "message", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "message"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "message", "url", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False
