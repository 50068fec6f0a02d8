import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import INVITATIONS_PER_DAY, Invitation, Mentorship, Notification
from tests.factories import UserFactory
from tests.mentoring.conftest import BASE


def invite(inviter, email="mentor@example.com"):
    return services.invitation_create(inviter=inviter, email=email, base_url=BASE)


def link_path(mail) -> str:
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.body).group(1)


def test_an_invitation_mails_a_single_use_link_bound_to_the_address(
    alice, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(alice, "Mentor@Example.com ")
    assert invitation.email == "mentor@example.com"
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    assert token not in invitation.token_hash  # only a digest is stored
    (mail,) = mailoutbox
    assert mail.to == ["mentor@example.com"]
    assert token in mail.body
    assert mail.alternatives[0][1] == "text/html"
    # An existing account with that address hears of it in the app too.
    assert Notification.objects.get(user=mentor).kind == "invitation_received"

    services.invitation_accept(invitation=invitation, user=mentor)
    assert Mentorship.objects.of_mentee(alice).get().mentor == mentor
    with pytest.raises(ValidationError, match="accepted"):
        services.invitation_accept(invitation=invitation, user=mentor)
    assert Mentorship.objects.count() == 1


def test_only_the_invited_verified_address_can_answer(alice, bob, ladder):
    invitation, _ = invite(alice, "carol@example.com")
    with pytest.raises(ValidationError, match=r"sent to carol@example\.com"):
        services.invitation_accept(invitation=invitation, user=bob)
    unverified = UserFactory(email="carol@example.com", email_verified=False)
    with pytest.raises(ValidationError, match=r"sent to carol@example\.com"):
        services.invitation_accept(invitation=invitation, user=unverified)
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert not Mentorship.objects.exists()


def test_an_expired_invitation_cannot_be_accepted_and_can_be_sent_again(alice, mentor):
    invitation, _ = invite(alice)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    invitation.refresh_from_db()
    assert invitation.status == "expired"
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(invitation=invitation, user=mentor)
    again, _ = invite(alice)  # the old one no longer blocks the address
    invitation.refresh_from_db()
    assert invitation.state == "expired"
    assert again.status == "pending"


def test_no_invitation_to_oneself_nor_a_second_open_one_nor_to_a_current_mentor(alice, mentor):
    with pytest.raises(ValidationError, match="yourself"):
        invite(alice, "ALICE@example.com")
    first, _ = invite(alice)
    with pytest.raises(ValidationError, match="still open"):
        invite(alice)
    services.invitation_accept(invitation=first, user=mentor)
    with pytest.raises(ValidationError, match="already your mentor"):
        invite(alice)


def test_at_most_twenty_invitations_a_day(alice):
    for n in range(INVITATIONS_PER_DAY):
        invite(alice, f"person{n}@example.com")
    with pytest.raises(ValidationError, match="at most 20 invitations a day"):
        invite(alice, "one-more@example.com")
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    invite(alice, "one-more@example.com")


def test_decline_and_withdraw_end_an_invitation(alice, mentor):
    declined, _ = invite(alice)
    services.invitation_decline(invitation=declined, user=mentor)
    assert Notification.objects.get(user=alice).kind == "invitation_declined"
    withdrawn, _ = invite(alice)
    services.invitation_withdraw(invitation=withdrawn)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(invitation=withdrawn, user=mentor)
    assert not Mentorship.objects.exists()


def test_the_e_mailed_link_takes_a_newcomer_through_sign_in_and_back(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(alice)
        client.post(reverse("mentoring:mentors"), {"email": "newcomer@example.com"})
    client.logout()
    path = link_path(mailoutbox[-1])
    page = client.get(path)
    assert "newcomer@example.com" in page.content.decode()
    assert f"?next={path}" in page.content.decode()
    newcomer = UserFactory(email="newcomer@example.com")
    client.force_login(newcomer)
    response = client.post(path, {"action": "accept"})
    assert response.url == reverse("mentoring:mentees")
    assert Mentorship.objects.of_mentor(newcomer).get().mentee == alice
    assert client.get(path).content.decode().count("can no longer be answered") == 1


def test_the_mentors_page_shows_errors_and_keeps_the_address(client, alice):
    client.force_login(alice)
    page = client.post(reverse("mentoring:mentors"), {"email": "alice@example.com"})
    assert page.status_code == 200
    assert "You cannot invite yourself." in page.content.decode()
    assert 'value="alice@example.com"' in page.content.decode()
    page = client.post(reverse("mentoring:mentors"), {"email": "not-an-address"})
    assert "Enter a valid email address." in page.content.decode()
    assert not Invitation.objects.exists()


def test_either_side_ends_the_mentorship_and_access_ends_at_once(client, alice, mentor, mentorship):
    client.force_login(mentor)
    assert client.get(reverse("mentoring:mentee", args=[mentorship.pk])).status_code == 200
    client.force_login(alice)
    client.post(reverse("mentoring:mentorship_end", args=[mentorship.pk]))
    client.force_login(mentor)
    assert client.get(reverse("mentoring:mentee", args=[mentorship.pk])).status_code == 404
    assert Notification.objects.get(user=mentor).kind == "mentorship_ended"


def test_the_header_counts_unread_notifications_until_read(client, alice, mentor):
    invite(alice)
    client.force_login(mentor)
    header = client.get(reverse("mentoring:notifications")).content.decode()
    assert re.search(r"unread: </span>1</span>", header)
    client.post(reverse("mentoring:notifications"))
    assert "unread:" not in client.get(reverse("mentoring:notifications")).content.decode()


def test_the_unread_count_follows_each_notification_and_each_read(client, alice, bob, mentor):
    invite(alice)
    invite(bob)
    mentor.refresh_from_db()
    assert mentor.unread_notifications == Notification.objects.filter(user=mentor, read_at=None).count() == 2
    first = Notification.objects.filter(user=mentor).last()
    services.notifications_mark_read(user=mentor, ids=[first.pk])
    services.notifications_mark_read(user=mentor, ids=[first.pk])  # read twice counts once
    client.force_login(mentor)
    assert re.search(r"unread: </span>1</span>", client.get(reverse("mentoring:notifications")).content.decode())
    services.notifications_mark_read(user=mentor)
    mentor.refresh_from_db()
    assert mentor.unread_notifications == 0


def test_the_mentors_list_shows_the_open_invitations_to_their_verified_addresses_only(client, alice, bob, mentor):
    from allauth.account.models import EmailAddress

    open_one, _ = invite(alice)
    expired, _ = invite(bob)
    now = timezone.now()
    Invitation.objects.filter(pk=expired.pk).update(
        created_at=now - datetime.timedelta(days=8), expires_at=now - datetime.timedelta(minutes=1)
    )
    carol = UserFactory(email="carol@example.com", name="Carol")
    EmailAddress.objects.create(user=mentor, email="maya.other@example.com", verified=True)
    EmailAddress.objects.create(user=mentor, email="maya.unverified@example.com", verified=False)
    to_second_address, _ = invite(carol, "maya.other@example.com")
    to_unverified, _ = invite(UserFactory(email="dan@example.com"), "maya.unverified@example.com")
    services.invitation_decline(invitation=invite(UserFactory(email="eve@example.com"))[0], user=mentor)

    client.force_login(mentor)
    page = client.get(reverse("mentoring:mentees")).content.decode()
    shown = [int(pk) for pk in re.findall(r'data-testid="received-(\d+)"', page)]
    assert shown == [to_second_address.pk, open_one.pk]  # newest first
    assert "<strong>Carol</strong> asks you to be their mentor" in page
    assert "<strong>alice@example.com</strong> asks you to be their mentor" in page  # no name: the address
    assert to_unverified.pk not in shown
    assert expired.pk not in shown
