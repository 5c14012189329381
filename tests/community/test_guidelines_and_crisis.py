"""The guidelines banner and the "Need help now?" link are on every page."""

import pytest
from django.urls import reverse

from community import services
from community.models import CrisisResource, Guidelines

PAGES = ["/", "/guidelines/", "/help-now/", "/accounts/login/", "/accounts/signup/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_the_banner_first_and_the_help_link(client, url):
    html = client.get(url).content.decode()
    banner = html.index('class="guidelines-banner"')
    assert banner < html.index('<main id="main"'), "the banner sits above the content"
    assert "<details>" in html[banner:]  # collapsible without JavaScript
    assert "Build trust: what is shared here stays here." in html
    assert f'href="{reverse("community:crisis")}">Need help now?</a>' in html


@pytest.mark.django_db
def test_signed_in_pages_have_the_banner_too(member_client):
    html = member_client.get(reverse("forum:category", args=["introductions"])).content.decode()
    assert 'class="guidelines-banner"' in html


@pytest.mark.django_db
def test_seeded_guidelines_carry_the_seven_principles():
    guidelines = Guidelines.objects.current()
    assert guidelines.version == 1
    assert len(guidelines.principle_list) == 7
    assert guidelines.principle_list[0].startswith("Share your own story")
    # Member-facing headings start at h3; "## 1. ..." in the source becomes h4.
    assert (
        "<h2>" not in guidelines.body_html
        and "<h4>1. Share your own story</h4>" in guidelines.body_html
    )


@pytest.mark.django_db
def test_guidelines_page_shows_the_full_text(client):
    html = client.get(reverse("community:guidelines")).content.decode()
    assert "Version 1" in html
    assert "Empathy first" in html and "Listen before advising" in html


@pytest.mark.django_db
def test_a_new_version_replaces_the_banner(client, django_capture_on_commit_callbacks):
    assert "Build trust" in client.get("/").content.decode()  # v1 now cached
    new = Guidelines(version=2, principles="Be gentle with each other.", body="New **text**")
    with django_capture_on_commit_callbacks(execute=True):
        services.save_guidelines(guidelines=new)
    assert new.body_html == "<p>New <strong>text</strong></p>\n"
    html = client.get("/").content.decode()
    assert "Be gentle with each other." in html
    assert "Build trust" not in html


@pytest.mark.django_db
def test_crisis_page_lists_seeded_services(client):
    html = client.get(reverse("community:crisis")).content.decode()
    assert "peer support, not a crisis service" in html
    assert "988" in html and "116 123" in html
    assert "local emergency number" in html
    assert CrisisResource.objects.count() >= 4
