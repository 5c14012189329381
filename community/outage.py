"""The pages that must answer when the database (and Redis) cannot: /help-now/ and a kind 503.

Every layer a normal page passes through (the session, the signed-in member, the guidelines
banner, the unread count) reads the database. When it is unreachable, Django turns the error
into a call of the project's 500 handler (config/urls.py), whichever layer raised it. The
handler below answers /help-now/ with the crisis resources from static data, and every other
page with a 503 that shows them too. The templates share outage/_layout.html, which looks like
base.html but stands alone: no request context processors, no session, no cached guidelines, so
rendering them cannot touch the database or the cache.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Dial, tap_to_call, tap_to_text

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30


@dataclass(frozen=True)
class StaticCrisisResource:
    """A crisis resource shaped like CrisisResource, so the same template shows both."""

    name: str
    region: str
    phone: str = ""
    sms_number: str = ""
    sms_keyword: str = ""
    url: str = ""
    description: str = ""

    @property
    def calls(self) -> list[Dial]:
        return tap_to_call(self.phone)

    @property
    def text_link(self) -> Dial | None:
        return tap_to_text(self.sms_number, keyword=self.sms_keyword)


# The resources seeded by community/migrations/0002, with the text numbers of 0007; shown only
# when the database cannot be read, so an edit in the admin shows everywhere else at once. Keep
# them true when they change.
STATIC_CRISIS_RESOURCES: tuple[StaticCrisisResource, ...] = (
    StaticCrisisResource(
        name="988 Suicide & Crisis Lifeline",
        region="United States",
        phone="988",
        sms_number="988",
        url="https://988lifeline.org/",
        description=(
            "Free, confidential support 24/7 for anyone in distress, by call, text or chat."
        ),
    ),
    StaticCrisisResource(
        name="Samaritans",
        region="United Kingdom and Ireland",
        phone="116 123",
        url="https://www.samaritans.org/",
        description="Free to call, day or night, 365 days a year. Someone will listen.",
    ),
    StaticCrisisResource(
        name="Your local emergency number",
        region="Everywhere",
        phone="911 / 999 / 112",
        description=(
            "If you or someone else is in immediate danger, call your local emergency number now "
            "(911 in North America, 999 in the UK, 112 across the EU)."
        ),
    ),
    StaticCrisisResource(
        name="Find a Helpline",
        region="International",
        url="https://findahelpline.com/",
        description="A directory of free, confidential helplines in more than 130 countries.",
    ),
)


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` means the database cannot be used right now (not a bug in a query)."""
    # Refused, terminated or timed out (OperationalError) and already closed (InterfaceError);
    # IntegrityError and the other DatabaseErrors are bugs or races, not outages.
    return isinstance(error, (OperationalError, InterfaceError))


def crisis_page(*, status: int = 200) -> HttpResponse:
    """The crisis resources from static data, rendered without the request."""
    html = render_to_string("outage/crisis.html", {"resources": STATIC_CRISIS_RESOURCES})
    return HttpResponse(html, status=status)


def unavailable_page() -> HttpResponse:
    """A 503 that says what is happening and links to the crisis resources."""
    html = render_to_string("outage/unavailable.html", {"resources": STATIC_CRISIS_RESOURCES})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The project's 500 handler: /help-now/ still answers 200 and an outage answers 503."""
    error = sys.exc_info()[1]
    if request.path_info == reverse("community:crisis"):
        # Whatever failed, someone looking for help gets it.
        return crisis_page()
    if database_unreachable(error):
        return unavailable_page()
    html = render_to_string("outage/error.html", {"resources": STATIC_CRISIS_RESOURCES})
    return HttpResponse(html, status=500)
