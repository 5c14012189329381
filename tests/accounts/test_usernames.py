import pytest
from django.core.exceptions import ValidationError

from accounts.usernames import identifying_reason, validate_display_name, validate_pseudonym


@pytest.mark.parametrize(
    "name", ["quiet_river", "hope.seeker", "Sunrise-2026", "oak", "StillHere", "mark_42"]
)
def test_safe_pseudonyms_are_accepted(name):
    validate_pseudonym(name)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("sam@example.com", "email address"),
        ("jo@mail", "email address"),
        ("555-123-4567", "phone number"),
        ("call07700900123", "phone number"),
        ("river1234567", "phone number"),
        ("Jane_Doe", "first and last name"),
        ("Jane.Doe", "first and last name"),
        ("Jane-Doe", "first and last name"),
    ],
)
def test_identifying_usernames_are_refused_kindly(name, why):
    with pytest.raises(ValidationError) as info:
        validate_pseudonym(name)
    message = info.value.messages[0]
    assert why in message
    assert "choose a name that doesn't identify you" in message


@pytest.mark.parametrize("name", ["ab", "has space", "x" * 31, "emoji😊name"])
def test_malformed_usernames_are_refused(name):
    with pytest.raises(ValidationError):
        validate_pseudonym(name)


def test_six_digits_are_fine_but_seven_are_not():
    assert identifying_reason("sober123456") is None
    assert identifying_reason("sober1234567") is not None


def test_display_name_refuses_contact_details_only():
    validate_display_name("River")
    with pytest.raises(ValidationError):
        validate_display_name("ring me 0770 090 0123")
