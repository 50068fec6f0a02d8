import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring import services
from mentoring.models import Review
from progress import services as progress_services
from progress.models import ItemProgress
from progress.reads.roster import roster
from progress.reads.summary import compute_summary, learner_summary
from tests.mentoring.conftest import review


def test_a_review_holds_until_the_learner_changes_the_item(alice, mentorship, done_with_evidence):
    first, second = done_with_evidence
    review(mentorship, first, "verified", "Solid work")
    review(mentorship, second, "changes_requested", "Add a baseline")
    summary = compute_summary(alice)
    assert summary.progress.by_kind["steps"].verified == 1
    assert [i.key for i in summary.changes_requested] == [second.key]
    records = {p.item_id: p for p in ItemProgress.objects.filter(user=alice)}
    assert records[first.pk].review_state == "verified"
    assert records[second.pk].review_state == "changes_requested"

    progress_services.item_progress_set(user=alice, item=first, evidence_url="https://example.com/v2")
    progress_services.item_progress_set(user=alice, item=second, note="baseline added")
    records = {p.item_id: p for p in ItemProgress.objects.filter(user=alice)}
    assert records[first.pk].review_state == "changed"
    assert records[second.pk].review_state == "changed"
    assert {p.item_id for p in ItemProgress.objects.filter(user=alice).awaiting_review()} == {first.pk, second.pk}
    assert compute_summary(alice).changes_requested == []


def test_saving_the_same_values_again_keeps_the_verification(alice, mentorship, done_with_evidence):
    first = done_with_evidence[0]
    review(mentorship, first)
    progress_services.item_progress_set(
        user=alice,
        item=first,
        status="done",
        note="alice's private note",
        evidence_url=f"https://example.com/{first.key}",
    )
    assert ItemProgress.objects.filter(user=alice, item=first).verified().exists()


def test_readiness_counts_only_verified_items_when_the_learner_asks(alice, mentorship, ladder):
    first, second, third = ladder["steps2"]  # the stage that prepares for the next level
    for item in (first, second):
        progress_services.item_progress_set(user=alice, item=item, status="done")
    review(mentorship, first)
    items_part = next(p for p in compute_summary(alice).readiness.parts if p.key == "items")
    assert items_part.met == 2
    alice.readiness_verified_only = True
    alice.save()
    items_part = next(p for p in learner_summary(alice).readiness.parts if p.key == "items")
    assert (items_part.met, items_part.short_label) == (1, "Roadmap items verified")
    assert {i.key for i in items_part.missing} == {second.key, third.key}


def test_the_roster_agrees_with_the_summary(alice, mentorship, done_with_evidence, bob):
    review(mentorship, done_with_evidence[0])
    (row,) = roster([alice])
    summary = compute_summary(alice)
    assert row.progress == summary.progress
    assert [(p.key, p.met, p.total) for p in row.readiness.parts] == [
        (p.key, p.met, p.total) for p in summary.readiness.parts
    ]
    assert row.awaiting_review == 1


def test_only_done_items_are_reviewed_and_comments_are_bounded(alice, mentorship, ladder):
    with pytest.raises(ValidationError, match="marked done"):
        review(mentorship, ladder["steps1"][0])
    progress_services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done")
    with pytest.raises(ValidationError, match="under 2000"):
        review(mentorship, ladder["steps1"][0], comment="x" * 2001)
    with pytest.raises(ValidationError, match="what should change"):
        review(mentorship, ladder["steps1"][0], verdict="changes_requested")
    assert not Review.objects.exists()


def test_an_ended_mentorship_cannot_review(alice, mentor, mentorship, done_with_evidence):
    services.mentorship_end(mentorship=mentorship, by=mentor)
    with pytest.raises(ValidationError, match="ended"):
        review(mentorship, done_with_evidence[0])


def test_the_learner_is_told_by_mail_unless_they_turned_it_off(
    alice, mentorship, done_with_evidence, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review(mentorship, done_with_evidence[0], comment="<b>great</b>")
    (mail,) = mailoutbox
    assert "<b>great</b>" not in mail.alternatives[0][0]  # escaped in the HTML part
    services.notification_preferences_set(user=alice, deliveries={"review": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        review(mentorship, done_with_evidence[1])
    assert len(mailoutbox) == 1


def test_the_mentor_sees_the_queue_and_notes_only_when_shared(client, mentor, mentorship, done_with_evidence):
    client.force_login(mentor)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    assert "Awaiting your review (2)" in page
    assert "alice&#x27;s private note" not in page
    assert "alice's private note" not in page
    services.mentorship_share_notes(mentorship=mentorship, share=True)
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    assert "alice&#x27;s private note" in page


def test_a_review_comment_is_escaped_everywhere(client, alice, mentorship, done_with_evidence):
    review(mentorship, done_with_evidence[0], "changes_requested", "<script>alert(1)</script>")
    client.force_login(alice)
    for url in (
        reverse("progress:dashboard"),
        reverse("progress:item", args=[done_with_evidence[0].key]),
        reverse("mentoring:mentors"),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_mentor_posts_a_review_and_the_learner_sees_it(client, alice, mentor, mentorship, done_with_evidence):
    client.force_login(mentor)
    url = reverse("mentoring:review", args=[mentorship.pk, done_with_evidence[0].key])
    bad = client.post(url, {"verdict": "changes_requested", "comment": ""})
    assert bad.status_code == 400
    assert "Say what should change." in bad.content.decode()
    client.post(url, {"verdict": "verified", "comment": "Checked the notebook"})
    client.force_login(alice)
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert "2 done · <strong>1 verified</strong>" in dashboard
    item_page = client.get(reverse("progress:item", args=[done_with_evidence[0].key])).content.decode()
    assert "Checked the notebook" in item_page
    assert "</svg> Verified</span>" in item_page


def test_the_mentee_list_and_the_review_queue_agree_after_an_item_is_archived(
    client, alice, mentor, mentorship, done_with_evidence
):
    archived = done_with_evidence[0]
    archived.is_archived = True
    archived.save()
    client.force_login(mentor)
    listed = client.get(reverse("mentoring:mentees")).content.decode()
    assert '#queue-heading"><strong>1</strong>' in listed
    page = client.get(reverse("mentoring:mentee", args=[mentorship.pk])).content.decode()
    assert done_with_evidence[1].title in page
    assert f"/items/{archived.key}/review/" not in page


def test_reviewing_an_item_the_mentee_has_not_done_on_the_web_says_why(client, mentor, mentorship, ladder):
    client.force_login(mentor)
    item = ladder["steps1"][3]
    response = client.post(
        reverse("mentoring:review", args=[mentorship.pk, item.key]), {"verdict": "verified", "comment": ""}
    )
    assert response.status_code == 400
    assert "Only items marked done can be reviewed." in response.content.decode()
    assert not Review.objects.exists()
