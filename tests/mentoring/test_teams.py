import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from mentoring import services
from mentoring.models import Invitation, Membership, Team
from progress import services as progress_services
from tests.factories import PASSWORD, ItemProgressFactory, SkillRatingFactory, UserFactory
from tests.mentoring.conftest import BASE


@pytest.fixture
def team(alice):
    return services.team_create(user=alice, name="Cohort 7", slug="cohort-7")


def join(team, inviter, user):
    invitation, _ = services.invitation_create(inviter=inviter, email=user.email, base_url=BASE, team=team)
    services.invitation_accept(invitation=invitation, user=user)
    return Membership.objects.get(team=team, user=user)


def test_the_creator_leads_and_invited_people_join(team, alice, bob, mailoutbox, django_capture_on_commit_callbacks):
    assert Membership.objects.get(team=team, user=alice).role == "lead"
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _ = services.invitation_create(inviter=alice, email=bob.email, base_url=BASE, team=team)
    assert "join the team “Cohort 7”" in mailoutbox[0].subject
    with pytest.raises(ValidationError, match="still open"):
        services.invitation_create(inviter=alice, email=bob.email, base_url=BASE, team=team)
    services.invitation_accept(invitation=invitation, user=bob)
    assert Membership.objects.get(team=team, user=bob).role == "member"
    with pytest.raises(ValidationError, match="already in Cohort 7"):
        services.invitation_create(inviter=alice, email=bob.email, base_url=BASE, team=team)


def test_a_slug_is_unique(team, bob):
    with pytest.raises(ValidationError, match="taken"):
        services.team_create(user=bob, name="Other", slug="cohort-7")


def test_the_last_lead_names_another_before_leaving(team, alice, bob):
    bob_in = join(team, alice, bob)
    alice_in = Membership.objects.get(team=team, user=alice)
    with pytest.raises(ValidationError, match="last lead"):
        services.member_leave(membership=alice_in)
    services.member_leave(membership=alice_in, successor=bob_in)
    assert list(team.memberships.values_list("user__email", "role")) == [("bob@example.com", "lead")]
    services.member_leave(membership=Membership.objects.get(team=team, user=bob))
    assert not Team.objects.filter(pk=team.pk).exists()  # nobody left


def test_a_member_sees_names_only_and_a_lead_sees_progress(client, team, alice, bob, ladder):
    join(team, alice, bob)
    progress_services.item_progress_set(user=alice, item=ladder["steps1"][0], status="done", note="alice's note")
    client.force_login(bob)
    page = client.get(reverse("mentoring:team", args=["cohort-7"])).content.decode()
    assert "alice@example.com" not in page  # no display name set: said so, never the address
    assert "a member without a display name" in page
    assert "%" not in page
    for name in ("team_overview", "team_overview_csv", "team_skills"):
        assert client.get(reverse(f"mentoring:{name}", args=["cohort-7"])).status_code == 404
    assert client.get(reverse("mentoring:team_member", args=["cohort-7", alice.pk])).status_code == 404
    client.force_login(alice)
    overview = client.get(reverse("mentoring:team_overview", args=["cohort-7"])).content.decode()
    assert f'data-testid="row-{bob.pk}"' in overview
    member_page = client.get(reverse("mentoring:team_member", args=["cohort-7", alice.pk])).content.decode()
    assert "alice&#x27;s note" not in member_page


def test_removed_members_lose_access_at_once(client, team, alice, bob):
    bob_in = join(team, alice, bob)
    client.force_login(bob)
    assert client.get(reverse("mentoring:team", args=["cohort-7"])).status_code == 200
    services.member_remove(membership=bob_in, by=alice)
    assert client.get(reverse("mentoring:team", args=["cohort-7"])).status_code == 404


def test_the_overview_sorts_by_any_column(client, team, alice, bob, ladder):
    join(team, alice, bob)
    for item in ladder["steps1"]:
        progress_services.item_progress_set(user=bob, item=item, status="done")
    client.force_login(alice)
    url = reverse("mentoring:team_overview", args=["cohort-7"])
    ascending = client.get(url, {"sort": "progress"}).content.decode()
    assert ascending.index(f"row-{alice.pk}") < ascending.index(f"row-{bob.pk}")
    descending = client.get(url, {"sort": "progress", "order": "desc"}).content.decode()
    assert descending.index(f"row-{bob.pk}") < descending.index(f"row-{alice.pk}")
    assert 'aria-sort="descending"' in descending


def test_the_csv_export_is_formula_safe(client, team, alice, bob):
    bob.name = "=HYPERLINK(1)"
    bob.save()
    join(team, alice, bob)
    client.force_login(alice)
    response = client.get(reverse("mentoring:team_overview_csv", args=["cohort-7"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "member"
    assert "'=HYPERLINK(1)" in [r[0] for r in rows]


def test_the_heatmap_defaults_to_the_most_common_level_and_averages(client, team, alice, bob, ladder):
    join(team, alice, bob)
    js = ladder["junior_skills"][0].skill
    progress_services.skill_rating_set(user=alice, skill=js, rating=1)
    progress_services.skill_rating_set(user=bob, skill=js, rating=4)
    client.force_login(alice)
    page = client.get(reverse("mentoring:team_skills", args=["cohort-7"])).content.decode()
    assert '<option value="junior" selected>' in page
    assert '<td class="average">2.5</td>' in page
    assert "(below the expected 2)" in page
    mle = client.get(reverse("mentoring:team_skills", args=["cohort-7"]), {"level": "mle"}).content.decode()
    assert "MLE skill 0" in mle


def test_the_heatmaps_average_below_count_and_not_rated_count_agree(client, team, alice, bob, ladder):
    """Three members, one rated 2 (as expected): average 2.0 of one, none below, two not rated."""
    carol = UserFactory(email="carol@example.com", current_level=ladder["junior"])
    join(team, alice, bob)
    join(team, alice, carol)
    skill = ladder["junior_skills"][0].skill
    progress_services.skill_rating_set(user=bob, skill=skill, rating=2)
    client.force_login(alice)
    data = APIClient()
    data.force_authenticate(alice)
    column = data.get("/api/v1/me/teams/cohort-7/skills/").json()["skills"][0]
    assert (column["average"], column["below"], column["unrated"]) == (2.0, 0, 2)
    page = client.get(reverse("mentoring:team_skills", args=["cohort-7"])).content.decode()
    footer = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert '<td class="average">2.0</td>' in footer
    assert '<th scope="row">Below expectation</th><td class="">0</td>' in footer
    assert '<th scope="row">Not rated</th><td class="muted">2</td>' in footer
    assert "below the expected" not in page


@pytest.mark.parametrize("members", [1, 50, 200])
def test_overview_and_heatmap_run_constant_queries(client, team, alice, ladder, members, django_assert_max_num_queries):
    for n in range(members - 1):
        user = UserFactory(current_level=ladder["junior"])
        Membership.objects.create(team=team, user=user)
        ItemProgressFactory(user=user, item=ladder["steps1"][n % 4], status="done")
        SkillRatingFactory(user=user, skill=ladder["junior_skills"][0].skill)
    client.force_login(alice)
    with django_assert_max_num_queries(17):
        page = client.get(reverse("mentoring:team_overview", args=["cohort-7"]))
    assert page.content.decode().count('data-testid="row-') == members
    # Again with nothing changed: the cached table, its key read in one query whatever the size.
    with django_assert_max_num_queries(5):
        again = client.get(reverse("mentoring:team_overview", args=["cohort-7"]))
    assert again.content.decode().count('data-testid="row-') == members
    with django_assert_max_num_queries(10):
        assert client.get(reverse("mentoring:team_skills", args=["cohort-7"])).status_code == 200


def test_a_team_invitation_is_answered_from_the_teams_page(client, team, alice, bob):
    invitation, _ = services.invitation_create(inviter=alice, email=bob.email, base_url=BASE, team=team)
    client.force_login(bob)
    assert f"team-invitation-{invitation.pk}" in client.get(reverse("mentoring:teams")).content.decode()
    response = client.post(reverse("mentoring:invitation_answer", args=[invitation.pk]), {"action": "accept"})
    assert response.url == reverse("mentoring:team", args=["cohort-7"])
    assert Invitation.objects.get(pk=invitation.pk).state == "accepted"


def test_the_cached_overview_follows_every_member_change(client, team, alice, bob, ladder):
    join(team, alice, bob)
    client.force_login(alice)
    url = reverse("mentoring:team_overview", args=["cohort-7"])
    assert "Bobby" not in client.get(url).content.decode()
    progress_services.item_progress_set(user=bob, item=ladder["steps1"][0], status="done")
    bob.name = "Bobby"
    bob.save()
    page = client.get(url).content.decode()
    row = page[page.index(f'data-testid="row-{bob.pk}"') :]
    assert "Bobby" in row[:400]
    assert "14%" in row[:800]  # 1 of the 7 items of Junior
    by_progress = client.get(url, {"sort": "progress", "order": "desc"}).content.decode()
    table = by_progress[by_progress.index("<main") :]  # the shell names the signed-in member too
    assert table.index("Bobby") < table.index("alice")


@pytest.mark.parametrize("successor", ["²", "١", "12abc", ""])
def test_leaving_with_an_odd_successor_says_what_to_do(client, team, alice, bob, successor):
    join(team, alice, bob)
    client.force_login(alice)
    response = client.post(reverse("mentoring:team_leave", args=["cohort-7"]), {"successor": successor}, follow=True)
    assert response.status_code == 200
    assert Membership.objects.filter(team=team, user=alice, role=Membership.Role.LEAD).exists()


def test_members_see_each_others_names_never_their_addresses(client, team, alice, bob):
    join(team, alice, bob)
    carol = UserFactory(email="carol@example.com", name="Carol")
    join(team, alice, carol)
    api = APIClient()
    api.force_authenticate(carol)
    names = {m["id"]: m["name"] for m in api.get("/api/v1/me/teams/cohort-7/members/").json()["results"]}
    assert names[bob.pk] is None
    assert names[carol.pk] == "Carol"
    client.force_login(carol)
    page = client.get(reverse("mentoring:team", args=["cohort-7"])).content.decode()
    assert "bob@example.com" not in page
    assert "a member without a display name" in page


def test_a_removed_leads_open_invitations_are_withdrawn(team, alice, bob):
    """alice promotes bob; bob invites carol; alice removes bob: carol's link no longer joins."""
    bobs = join(team, alice, bob)
    services.member_promote(membership=bobs)
    carol = UserFactory(email="carol@example.com")
    invitation, _ = services.invitation_create(inviter=bob, email=carol.email, base_url=BASE, team=team)
    services.member_remove(membership=bobs, by=alice)
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.WITHDRAWN
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=carol)
    assert not team.memberships.filter(user=carol).exists()


def test_the_last_lead_hands_over_before_deleting_their_account(client, team, alice, bob):
    join(team, alice, bob)
    client.force_login(alice)
    form = {"password": PASSWORD, "confirm": "on"}
    page = client.post(reverse("accounts:delete"), form)
    assert "You are the last lead of Cohort 7" in page.content.decode()
    assert Membership.objects.filter(team=team, user=alice, role=Membership.Role.LEAD).exists()
    services.member_promote(membership=Membership.objects.get(team=team, user=bob))
    assert client.post(reverse("accounts:delete"), form).status_code == 302
    assert list(team.memberships.values_list("user__email", "role")) == [(bob.email, Membership.Role.LEAD)]


def test_a_team_its_only_member_deletes_their_account_goes_with_them(client, team, alice):
    client.force_login(alice)
    assert client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}).status_code == 302
    assert not Team.objects.exists()
