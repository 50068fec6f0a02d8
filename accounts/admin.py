from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef

from accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "email_verified", "current_level", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_active", "current_level"]
    list_select_related = ["current_level"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined", "onboarded_at", "public_slug"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Learner profile",
            {
                "fields": (
                    "name",
                    "years_of_experience",
                    "current_level",
                    "target_level",
                    "specialization",
                    "preferred_track",
                    "onboarded_at",
                    "public_sharing",
                    "public_slug",
                    "public_show_evidence",
                )
            },
        ),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_queryset(self, request):
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        return super().get_queryset(request).annotate(has_verified_email=Exists(verified))

    @admin.display(boolean=True, description="verified", ordering="has_verified_email")
    def email_verified(self, obj) -> bool:
        return obj.has_verified_email

    def save_model(self, request, obj, form, change):
        if change and "public_sharing" in form.changed_data:
            # The same rule as the profile: a new unguessable link each time sharing is turned on.
            wanted, obj.public_sharing = obj.public_sharing, form.initial.get("public_sharing", False)
            obj.set_public_sharing(wanted)
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:
            # Staff typed the address; nobody has proven it is the learner's: unverified until confirmed.
            EmailAddress.objects.filter(user=obj).delete()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=False)
            self.message_user(request, f"{obj.email} is unverified until the learner confirms it.", messages.WARNING)

    def user_change_password(self, request, id, form_url=""):
        # Learners own their password: staff see the hash summary, and a learner resets by e-mail.
        raise PermissionDenied

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "password" in form.base_fields:
            form.base_fields["password"].widget = PasswordSummaryWidget()
            form.base_fields[
                "password"
            ].help_text = "Raw passwords are not stored. Learners change or reset their password themselves."
        return form


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """The hash summary without the "Reset password" button."""

    template_name = "accounts/widgets/password_summary.html"


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Which two-factor methods a learner has, never their secrets: staff may only remove one
    (e.g. for a learner who lost their phone), never read or change it."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["user", "type", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Learners' API tokens as staff see them: whose, named what, used when; never the secret (only
    its hash is stored, and not shown). Staff with the "delete API token" permission revoke them."""

    list_display = ["name", "user", "scope", "token_key", "created", "last_used_at", "expiry"]
    list_filter = ["scope"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name", "token_key"]
    fields = readonly_fields = ("user", "name", "scope", "token_key", "created", "last_used_at", "expiry")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is made by its owner, who alone sees it once

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "revoke" says what deleting a token does
        return actions

    @admin.action(description="Revoke the selected tokens (clients using them stop working)", permissions=["delete"])
    def revoke(self, request, queryset):
        self.log_deletions(request, list(queryset.select_related("user")))
        count = queryset.delete()[0]
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)
