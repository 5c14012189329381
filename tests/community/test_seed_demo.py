"""The demo data `make run` loads: its peer specialist is verified, so the badge and the corner
show as they do for a real one, and loading twice adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from accounts.models import CredentialStatus, PeerCredential, User
from forum import permissions
from forum.models import Category


@pytest.mark.django_db
def test_the_demo_peer_specialist_is_verified_once(settings):
    settings.DEMO_DATA_ALLOWED = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    harbor = User.objects.get(username="harbor_light")
    assert harbor.certified_by == "Pennsylvania Certification Board"
    [credential] = PeerCredential.objects.filter(member=harbor)
    assert credential.status == CredentialStatus.APPROVED
    corner = Category.objects.get(slug=django_settings.PEER_SPECIALIST_CORNER)
    assert permissions.can_start_topic_in(harbor, corner)
    assert not permissions.can_start_topic_in(User.objects.get(username="new_dawn"), corner)
