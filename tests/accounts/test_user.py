import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError


@pytest.mark.django_db
def test_user_is_created_with_email_and_signs_in_with_it():
    user = get_user_model().objects.create_user(email="alice@example.com", password="correct horse battery")
    assert user.email == "alice@example.com"
    assert not hasattr(user, "username") or user.username is None
    assert authenticate(email="alice@example.com", password="correct horse battery") == user


@pytest.mark.django_db
def test_email_is_unique_whatever_the_case():
    get_user_model().objects.create_user(email="alice@example.com", password="x")
    with pytest.raises(IntegrityError):
        get_user_model().objects.create_user(email="ALICE@example.com", password="y")
