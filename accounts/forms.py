import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from accounts.models import MAX_WEEKLY_GOAL, ApiToken, User
from roadmap.models import Level


class ProfileForm(forms.ModelForm):
    """Where the learner stands on the ladder. Used by onboarding and the profile page."""

    class Meta:
        model = User
        fields = ["name", "years_of_experience", "current_level", "target_level", "specialization", "preferred_track"]
        labels = {"name": "Display name (optional)", "preferred_track": "Preferred learning track"}
        help_texts = {
            "name": "Shown on your public page if you share it; never your e-mail address.",
            "current_level": "Leave on “Suggest from my years” and we pick it from your years of experience.",
            "target_level": "Leave empty to aim for the level after your current one.",
            "preferred_track": "Each roadmap stage offers three alternative learning paths, Track A, B and C, "
            "each a different sequence of modules; pick the one you mean to follow (optional).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = Level.objects.order_by("order")
        self.fields["current_level"].queryset = levels
        self.fields["current_level"].empty_label = "Suggest from my years"
        self.fields["target_level"].queryset = levels
        self.fields["target_level"].empty_label = "The next level"
        self.fields["years_of_experience"].widget.attrs.update(min=0, max=60)
        self.fields["years_of_experience"].max_value = 60

    def clean(self):
        data = super().clean()
        current, target, years = data.get("current_level"), data.get("target_level"), data.get("years_of_experience")
        if self.errors:
            return data
        if current is None:
            if years is None:
                raise forms.ValidationError("Choose your current level, or give your years of experience to get one.")
            data["current_level"] = current = Level.objects.for_years(years)
        if target is None and current is not None:
            data["target_level"] = target = Level.objects.filter(order__gt=current.order).order_by("order").first()
        if current and target and target.order < current.order:
            self.add_error("target_level", "Your target level cannot be below your current level.")
        return data


class PlanForm(forms.ModelForm):
    """The learner's plan for their target level: a date, a weekly goal, the weekly digest."""

    class Meta:
        model = User
        fields = ["target_date", "weekly_goal", "digest_opt_in", "readiness_fresh_only"]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "target_date": "When you aim to be ready for your target level; we tell you the pace it needs.",
            "weekly_goal": f"How many items you mean to finish each week (1 to {MAX_WEEKLY_GOAL}).",
            "digest_opt_in": "Once a week: what you did, what is next and your pace. Unsubscribe from any digest.",
            "readiness_fresh_only": f"Readiness then counts a skill while its rating is under "
            f"{settings.SKILL_FRESH_DAYS} days old (or confirmed as still accurate since).",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekly_goal"].min_value = 1
        self.fields["weekly_goal"].max_value = MAX_WEEKLY_GOAL
        self.fields["weekly_goal"].widget.attrs.update(min=1, max=MAX_WEEKLY_GOAL)
        self.fields["weekly_goal"].validators += [MinValueValidator(1), MaxValueValidator(MAX_WEEKLY_GOAL)]

    def clean_target_date(self):
        target = self.cleaned_data["target_date"]
        today = timezone.localdate()
        if target and target <= today:
            raise forms.ValidationError("Pick a date after today.")
        if target and target > _years_after(today, 10):
            raise forms.ValidationError("Pick a date within the next ten years.")
        return target


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day so many years on (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class SharingForm(forms.ModelForm):
    # Not a model field here: turning sharing on must go through set_public_sharing for a new slug.
    public_sharing = forms.BooleanField(
        label="Share my progress on a public page",
        required=False,
        help_text="Anyone with the link can see your level and progress, never your notes. "
        "Turning sharing off makes the link stop working; turning it on again makes a new link.",
    )

    class Meta:
        model = User
        fields = ["public_show_evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_sharing"].initial = self.instance.public_sharing
        self.order_fields(["public_sharing", "public_show_evidence"])

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_public_sharing(self.cleaned_data["public_sharing"])
        if commit:
            user.save(update_fields=["public_sharing", "public_slug", "public_show_evidence"])
        return user


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), required=False
    )
    confirm = forms.BooleanField(label="I understand this deletes my account and everything I recorded.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # Accounts made through GitHub/Google have no password: typing the address confirms instead.
            self.fields["password"] = forms.EmailField(label="Type your e-mail address to confirm")

    def clean_password(self):
        value = self.cleaned_data.get("password", "")
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError("That is not your password.")
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError("That is not your e-mail address.")
        return value


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=60, help_text="What the token is for, e.g. “training notebook”. Shown in the list below."
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read only is enough to chart your progress elsewhere; logging measurements or ticking items "
        "from a script needs read and write.",
    )
