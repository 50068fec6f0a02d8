from django import forms

from accounts.models import User
from mentoring.models import MARK_NOTE_MAX_LENGTH, MESSAGE_MAX_LENGTH, Delivery, Topic
from mentoring.selectors import RubricLine
from progress.models import REVIEW_COMMENT_MAX_LENGTH, Verdict


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Mentor’s e-mail address",
        max_length=254,
        help_text="They get a link valid for 7 days; only an account with this address (verified) can accept.",
    )


MET, NOT_YET = "met", "not_yet"


class ReviewForm(forms.Form):
    """The verdict, the comment and a mark (met / not yet, with a note) per criterion of `rubric`."""

    verdict = forms.ChoiceField(choices=Verdict.choices, widget=forms.RadioSelect, label="Verdict")
    comment = forms.CharField(
        required=False,
        max_length=REVIEW_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you request changes: say what should change.",
    )

    def __init__(self, *args, rubric=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = list(rubric)
        for criterion in self.rubric:
            self.fields[f"mark-{criterion.key}"] = forms.ChoiceField(
                choices=[(MET, "Met"), (NOT_YET, "Not yet")], required=False, label=criterion.text
            )
            self.fields[f"note-{criterion.key}"] = forms.CharField(required=False, max_length=MARK_NOTE_MAX_LENGTH)

    def clean(self):
        data = super().clean()
        data["marks"] = {
            c.key: (data[f"mark-{c.key}"] == MET, data.get(f"note-{c.key}", ""))
            for c in self.rubric
            if data.get(f"mark-{c.key}")
        }
        return data

    def lines(self) -> list[RubricLine]:
        return [
            RubricLine(c, self.data.get(f"mark-{c.key}", ""), self.data.get(f"note-{c.key}", "")) for c in self.rubric
        ]


class MessageForm(forms.Form):
    text = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Plain text; links become clickable.",
    )


class MentoringPreferencesForm(forms.ModelForm):
    """A learner's side, on "My mentors"."""

    class Meta:
        model = User
        fields = ["readiness_verified_only", "readiness_mentor_skills_only"]
        help_texts = {
            "readiness_verified_only": "Your readiness for the next level then counts a roadmap item once a mentor "
            "verified it, not when you mark it done.",
            "readiness_mentor_skills_only": "Your readiness then counts a skill once a mentor gave it the same "
            "rating as you, not on your rating alone.",
        }


class MenteeLimitForm(forms.ModelForm):
    """A mentor's side, on "People I mentor"."""

    class Meta:
        model = User
        fields = ["mentee_limit"]


class MentoringSettingsForm(forms.ModelForm):
    """Both sides at once: what `me/mentoring-preferences/` changes."""

    class Meta(MentoringPreferencesForm.Meta):
        fields = [*MentoringPreferencesForm.Meta.fields, *MenteeLimitForm.Meta.fields]


class ShareNotesForm(forms.Form):
    share_notes = forms.BooleanField(required=False)


class TeamForm(forms.Form):
    name = forms.CharField(max_length=100, label="Team name")
    slug = forms.SlugField(
        max_length=60,
        label="Address",
        help_text="Letters, digits and dashes: the team's page is /teams/<address>/.",
    )


class TeamRenameForm(forms.Form):
    name = forms.CharField(max_length=100, label="Team name")


class TeamInvitationForm(forms.Form):
    email = forms.EmailField(
        label="Member’s e-mail address",
        max_length=254,
        help_text="A link valid for 7 days; only an account with this address (verified) can join.",
    )


class NotificationPreferencesForm(forms.Form):
    """Per topic, how a person hears of it besides the app."""

    def __init__(self, *args, deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for topic, label in Topic.choices:
            self.fields[topic] = forms.ChoiceField(
                choices=Delivery.choices, widget=forms.RadioSelect, label=label, initial=deliveries[topic]
            )
