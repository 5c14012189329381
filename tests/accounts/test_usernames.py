import pytest
from django.core.exceptions import ValidationError

from accounts.usernames import (
    identifying_reason,
    skeleton,
    validate_display_name,
    validate_distinct_name,
    validate_pseudonym,
)


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


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("quiet_river", "quiet_river."),
        ("quiet_river", "Quiet-River"),
        ("Oak", "\u041eak"),  # Cyrillic capital O
        ("oak", "\U0001d428\U0001d41a\U0001d424"),  # mathematical bold
        ("hope", "h\u043epe"),  # Cyrillic small o
        ("cafe", "caf\u00e9"),
        ("modern", "modem"),  # "rn" reads as "m"
        ("solo", "s0l0"),
    ],
)
def test_names_that_look_alike_share_a_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("oak", "oat"), ("river", "rivers"), ("sam", "pam")])
def test_different_names_keep_different_skeletons(one, other):
    assert skeleton(one) != skeleton(other)


@pytest.mark.parametrize(
    "name",
    ["Moderator", "oak_moderator", "M0DERAT0R", "site_admin", "LanternTeam", "peer.specialist"],
)
def test_usernames_that_claim_a_role_are_refused_kindly(name):
    with pytest.raises(ValidationError) as info:
        validate_pseudonym(name)
    assert info.value.code == "role_claim"
    assert "Team members get a badge" in info.value.messages[0]


@pytest.mark.django_db
def test_a_name_confusable_with_an_existing_members_is_refused():
    from accounts.models import User
    from tests.factories import UserFactory

    UserFactory(username="quiet_river", display_name="Oak")
    for name in ["quiet_river.", "QUIET_RIVER", "\u041eak", "0ak"]:
        with pytest.raises(ValidationError) as info:
            validate_distinct_name(name, others=User.objects.all())
        assert info.value.code == "confusable"
    validate_distinct_name("quiet_lake", others=User.objects.all())
