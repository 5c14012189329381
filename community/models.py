"""How we care for each other: the guidelines and where to find help right now."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone


class GuidelinesQuerySet(models.QuerySet):
    def current(self) -> Guidelines | None:
        """The newest published version, if any."""
        return self.filter(published_at__lte=timezone.now()).order_by("-version").first()


class Guidelines(models.Model):
    """One published version of the community guidelines. Older versions are kept."""

    version = models.PositiveIntegerField(unique=True)
    # One short principle per line: shown in the banner on every page.
    principles = models.TextField(help_text="One short principle per line.")
    body = models.TextField(help_text="The full guidelines, in Markdown.")
    body_html = models.TextField(editable=False)
    published_at = models.DateTimeField(default=timezone.now)

    objects = GuidelinesQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "guidelines"

    def __str__(self) -> str:
        return f"Guidelines v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("community:guidelines")

    @property
    def principle_list(self) -> list[str]:
        return [line.strip() for line in self.principles.splitlines() if line.strip()]

    @property
    def principle_headlines(self) -> list[str]:
        """The part of each principle before its colon: the banner's one-line summary."""
        return [line.split(":", 1)[0] for line in self.principle_list]


class CrisisResource(models.Model):
    """A service people can reach right now. This community is peer support, not a crisis line."""

    name = models.CharField(max_length=120)
    region = models.CharField(max_length=80, help_text="Where it serves, e.g. “United States”.")
    phone = models.CharField(max_length=40, blank=True)
    text = models.CharField(max_length=80, blank=True, help_text="How to reach it by text.")
    url = models.URLField(blank=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.region})"
