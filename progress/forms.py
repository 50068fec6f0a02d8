from django import forms
from django.utils import timezone

from progress.models import EVIDENCE_MAX_LENGTH, NOTE_MAX_LENGTH, PracticeReview, SkillRating, Status


class ItemProgressForm(forms.Form):
    """Any subset of status, note and evidence; what is not posted is kept as it is."""

    status = forms.ChoiceField(
        choices=Status.choices,
        required=False,
        error_messages={"invalid_choice": "“%(value)s” is not a status: choose In progress, Done, Skip or Reset."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=NOTE_MAX_LENGTH, strip=True
    )
    evidence_url = forms.CharField(
        label="Evidence link",
        required=False,
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://github.com/you/project"}),
        help_text="A link to your work (http or https).",
    )

    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="As the certificate says; the weekly digest reminds you before it runs out.",
    )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.data}


class SkillRatingForm(forms.Form):
    rating = forms.TypedChoiceField(choices=SkillRating.Rating.choices, coerce=int)


class KPIMeasurementForm(forms.Form):
    value = forms.DecimalField(max_digits=14, decimal_places=4)
    measured_on = forms.DateField(
        label="Date", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTE_MAX_LENGTH, strip=True
    )
    evidence_url = forms.CharField(
        label="Evidence link", required=False, max_length=EVIDENCE_MAX_LENGTH, widget=forms.URLInput()
    )


class PracticeGradeForm(forms.Form):
    item = forms.SlugField(widget=forms.HiddenInput)
    grade = forms.TypedChoiceField(choices=PracticeReview.Grade.choices, coerce=int)
    answer = forms.CharField(
        label="Your answer (a draft, kept privately)",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
