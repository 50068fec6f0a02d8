import pytest
from django.db import IntegrityError

from roadmap.models import Item
from tests.factories import ItemFactory, LevelFactory, SalaryBandFactory, StageFactory, StepFactory


@pytest.mark.django_db
def test_salary_band_minimum_above_maximum_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        SalaryBandFactory(min_amount=200_000, max_amount=100_000)


@pytest.mark.django_db
def test_salary_band_without_maximum_must_be_open_ended():
    with pytest.raises(IntegrityError):
        SalaryBandFactory(max_amount=None, open_ended=False)


@pytest.mark.django_db
def test_level_years_minimum_above_maximum_is_refused():
    with pytest.raises(IntegrityError):
        LevelFactory(years_min=5, years_max=2)


@pytest.mark.django_db
def test_two_steps_cannot_share_an_order_in_a_stage():
    stage = StageFactory()
    StepFactory(stage=stage, order=1)
    with pytest.raises(IntegrityError):
        StepFactory(stage=stage, order=1)


@pytest.mark.django_db
def test_an_archived_step_frees_its_order_for_a_replacement():
    stage = StageFactory()
    StepFactory(stage=stage, order=1, is_archived=True)
    StepFactory(stage=stage, order=1)
    assert Item.objects.current().filter(stage=stage).count() == 1


@pytest.mark.django_db
def test_a_step_without_a_stage_is_refused():
    with pytest.raises(IntegrityError):
        ItemFactory(kind=Item.Kind.LEARN, stage=None)


@pytest.mark.django_db
def test_a_deliverable_without_a_level_is_refused():
    with pytest.raises(IntegrityError):
        ItemFactory(kind=Item.Kind.DELIVERABLE, level=None)
