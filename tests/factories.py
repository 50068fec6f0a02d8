from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from mentoring.models import Mentorship
from progress.models import ItemProgress, KPIMeasurement, SkillRating, Status
from roadmap.models import (
    KPI,
    ExperienceRange,
    Item,
    Level,
    LevelSkill,
    LevelText,
    RoleArea,
    SalaryBand,
    Skill,
    Source,
    Specialization,
    Stage,
    Tip,
    Track,
    TrackModule,
    Wording,
)

PASSWORD = "a-strong-pass-phrase-42"


def wording_of(source: str):
    """A text credited to a guide quotes it, as the seed's mostly do; one credited to none is ours."""
    return factory.LazyAttribute(lambda o: Wording.QUOTED if getattr(o, source, None) else Wording.OURS)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"learner{n}@example.com")

    @classmethod
    def _create(cls, model_class, *args, password=PASSWORD, email_verified=True, **kwargs):
        user = model_class.objects.create_user(*args, password=password, **kwargs)
        # As after a real sign-up: the address confirmed (invitations are bound to verified addresses).
        EmailAddress.objects.create(user=user, email=user.email, verified=email_verified, primary=True)
        return user


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    number = factory.Sequence(lambda n: n + 100)
    key = factory.LazyAttribute(lambda o: f"guide-{o.number}")
    title = factory.Sequence(lambda n: f"Career guide {n}")
    publisher = "Example Press"
    badge = factory.LazyAttribute(lambda o: f"Example Press {o.number}")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level
        skip_postgeneration_save = True

    order = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"level-{n}")
    title = factory.Sequence(lambda n: f"Level {n}")
    years_min = factory.LazyAttribute(lambda o: (o.order - 1) * 3)
    years_max = factory.LazyAttribute(lambda o: o.order * 3)
    summary = factory.RelatedFactory("tests.factories.LevelTextFactory", factory_related_name="level")


class LevelTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelText

    level = factory.SubFactory(LevelFactory, summary=None)
    section = LevelText.Section.SUMMARY
    order = factory.Sequence(lambda n: n + 1)
    text = "What this level does."
    wording = wording_of("source")


class SalaryBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalaryBand

    level = factory.SubFactory(LevelFactory)
    source = factory.SubFactory(SourceFactory)
    min_amount = 100_000
    max_amount = 150_000


class ExperienceRangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceRange

    level = factory.SubFactory(LevelFactory)
    source = factory.SubFactory(SourceFactory)
    years_min = 0
    years_max = 2


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    slug = factory.Sequence(lambda n: f"skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    description_wording = wording_of("description_source")


class LevelSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LevelSkill

    level = factory.SubFactory(LevelFactory)
    skill = factory.SubFactory(SkillFactory)
    order = factory.Sequence(lambda n: n)


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    order = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"stage-{n}")
    title = factory.Sequence(lambda n: f"Stage {n}")
    level = factory.SubFactory(LevelFactory)
    summary_wording = wording_of("source")


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    stage = factory.SubFactory(StageFactory)
    letter = factory.Iterator("ABC")


class TrackModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackModule

    track = factory.SubFactory(TrackFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Module {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    """A level item by default; pass stage=... and kind="learn"/"practice" for a step."""

    class Meta:
        model = Item

    key = factory.Sequence(lambda n: f"item-{n}")
    kind = Item.Kind.DELIVERABLE
    title = factory.Sequence(lambda n: f"Item {n}")
    order = factory.Sequence(lambda n: n)
    level = factory.SubFactory(LevelFactory)
    stage = None
    description_wording = wording_of("description_source")


class StepFactory(ItemFactory):
    kind = Item.Kind.LEARN
    level = None
    stage = factory.SubFactory(StageFactory)


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI

    level = factory.SubFactory(LevelFactory)
    slug = factory.Sequence(lambda n: f"kpi-{n}")
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = KPI.Unit.MILLISECONDS
    direction = KPI.Direction.LOWER
    target = 200
    order = factory.Sequence(lambda n: n)
    description_wording = wording_of("description_source")


class SpecializationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialization

    slug = factory.Sequence(lambda n: f"spec-{n}")
    name = factory.Sequence(lambda n: f"Specialization {n}")
    order = factory.Sequence(lambda n: n)
    description_wording = wording_of("description_source")


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    key = factory.Sequence(lambda n: f"tip-{n}")
    text = "Practise on real data."
    wording = wording_of("source")


class RoleAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleArea

    key = factory.Sequence(lambda n: f"area-{n}")
    group = RoleArea.Group.AREA
    title = factory.Sequence(lambda n: f"Area {n}")
    description = "What this part of the work is."
    entries = "First thing\nSecond thing"
    wording = wording_of("source")


class ItemProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemProgress

    user = factory.SubFactory(UserFactory)
    item = factory.SubFactory(ItemFactory)
    status = Status.IN_PROGRESS
    note = "Working on it."
    started_at = factory.LazyFunction(timezone.now)
    completed_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Status.DONE else None)


class SkillRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRating

    user = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)
    rating = 2


class KPIMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPIMeasurement

    user = factory.SubFactory(UserFactory)
    kpi = factory.SubFactory(KPIFactory)
    value = Decimal("180")
    measured_on = factory.LazyFunction(lambda: timezone.localdate())


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    mentee = factory.SubFactory(UserFactory)
    mentor = factory.SubFactory(UserFactory)
