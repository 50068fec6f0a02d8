from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from progress.models import ItemProgress, KPIMeasurement, SkillRating


def _snapshot():
    return sorted(ItemProgress.objects.values_list("user__email", "item__key", "status").order_by()), sorted(
        KPIMeasurement.objects.values_list("user__email", "kpi__slug", "value", "measured_on").order_by()
    )


def test_seeded_learners_are_reproducible_and_usable(seeded, client):
    call_command("seed_learners", "--users", "12", "--seed", "7", "--batch", "5", verbosity=0)
    assert User.objects.filter(email__endswith="@seed.invalid").count() == 12
    first = _snapshot()
    assert len(first[0]) > 12 * 10
    assert first[1]
    assert SkillRating.objects.filter(rating__gt=4).count() == 0

    User.objects.filter(email__endswith="@seed.invalid").delete()
    call_command("seed_learners", "--users", "12", "--seed", "7", "--batch", "12", verbosity=0)
    assert _snapshot() == first

    learner = User.objects.filter(email__endswith="@seed.invalid").first()
    client.force_login(learner)
    assert client.get(reverse("progress:dashboard")).status_code == 200


def test_more_learners_are_added_after_the_existing_ones(seeded):
    call_command("seed_learners", "--users", "3", verbosity=0)
    call_command("seed_learners", "--users", "2", verbosity=0)
    emails = sorted(User.objects.filter(email__endswith="@seed.invalid").values_list("email", flat=True))
    assert emails[-1] == "learner0000004@seed.invalid"
    assert len(emails) == 5
