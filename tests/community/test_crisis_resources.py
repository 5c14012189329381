"""Crisis resources: tap-to-call and tap-to-text, nearest the member first, edited by admins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Region
from community.models import CrisisResource
from tests.factories import UserFactory

DIRECTORY = "Find a Helpline"


@pytest.mark.django_db
def test_the_help_page_has_tap_targets_and_no_text_text(client):
    html = client.get(reverse("community:crisis")).content.decode()
    assert "Text: Text 988" not in html and "Text 988</p>" not in html
    assert 'class="button tap" href="tel:988"' in html
    assert 'href="sms:988"' in html
    # The keyword is typed for the member, in the form iOS and Android both read.
    assert 'href="sms:741741?&amp;body=HOME"' in html
    assert "Text HOME to 741741" in html
    assert 'href="tel:116123"' in html


def test_links_dial_only_digits_and_split_several_numbers():
    emergency = CrisisResource(name="Emergency", region="Everywhere", phone="911 / 999 / 112")
    assert [(d.label, d.href) for d in emergency.calls] == [
        ("911", "tel:911"),
        ("999", "tel:999"),
        ("112", "tel:112"),
    ]
    lifeline = CrisisResource(
        name="Lifeline", region="Australia", phone="13 11 14", sms_number="0477 13 11 14"
    )
    assert lifeline.calls[0].href == "tel:131114"
    assert lifeline.text_link is not None and lifeline.text_link.href == "sms:0477131114"
    assert CrisisResource(name="x", region="y", phone="+44 116 123").calls[0].href == (
        "tel:+44116123"
    )
    assert CrisisResource(name="Web only", region="y", url="https://example.org/").text_link is None


def test_tap_targets_are_at_least_44_px():
    css = (Path(__file__).resolve().parents[2] / "static/css/lantern.css").read_text()
    rule = re.search(r"\.tap \{([^}]*)\}", css)
    assert rule is not None
    assert "min-height: 44px" in rule.group(1) and "min-width: 44px" in rule.group(1)


def _names(resources) -> list[str]:
    return [r.name for r in resources]


@pytest.mark.django_db
@pytest.mark.parametrize("region", [*Region.values, ""])
def test_the_international_directory_is_always_there(region):
    assert DIRECTORY in _names(CrisisResource.objects.for_region(region))
    assert DIRECTORY in _names(CrisisResource.objects.nearest(region))


@pytest.mark.django_db
def test_resources_serving_the_region_come_first():
    gb = _names(CrisisResource.objects.for_region(Region.GB))
    assert gb[:2] == ["Samaritans", "Shout"]
    us = _names(CrisisResource.objects.for_region(Region.US))
    assert us[:2] == ["988 Suicide & Crisis Lifeline", "Crisis Text Line"]
    # The panel lists the member's own services and the ones that serve everywhere only.
    nearest_gb = _names(CrisisResource.objects.nearest(Region.GB))
    assert "Crisis Text Line" not in nearest_gb and "Samaritans" in nearest_gb
    # Nobody is left with the directory alone: an unknown region lists every service.
    assert len(CrisisResource.objects.nearest(Region.OTHER)) == CrisisResource.objects.count()


@pytest.mark.django_db
def test_the_help_page_orders_by_the_browser_language_then_the_profile(client):
    def first(**headers) -> int:
        html = client.get(reverse("community:crisis"), **headers).content.decode()
        return html.index("Samaritans") < html.index("988 Suicide")

    assert first(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert not first(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(UserFactory(region=Region.IE))
    assert first(HTTP_ACCEPT_LANGUAGE="en-US")


@pytest.mark.django_db
def test_admins_edit_every_field(admin_client):
    resource = CrisisResource.objects.get(name="Crisis Text Line")
    url = reverse("admin:community_crisisresource_change", args=[resource.pk])
    html = admin_client.get(url).content.decode()
    for field in ("region_codes", "phone", "sms_number", "sms_keyword", "url", "position"):
        assert f'name="{field}"' in html
    response = admin_client.post(
        url,
        {
            "name": resource.name,
            "region": resource.region,
            "region_codes": "US XX",
            "phone": "",
            "sms_number": "741741",
            "sms_keyword": "HELLO",
            "url": resource.url,
            "description": resource.description,
            "position": resource.position,
        },
    )
    assert response.status_code == 200 and "Unknown region code XX" in response.content.decode()


@pytest.mark.django_db
def test_the_seeded_resources_were_updated_by_the_migration():
    lifeline = CrisisResource.objects.get(name="988 Suicide & Crisis Lifeline")
    assert (lifeline.region_codes, lifeline.sms_number) == ("US", "988")
    assert CrisisResource.objects.get(name="Samaritans").region_codes == "GB IE"
    assert CrisisResource.objects.get(name=DIRECTORY).region_codes == ""
    served = {code for r in CrisisResource.objects.all() for code in r.region_codes.split()}
    assert served == set(Region.values) - {Region.OTHER}
