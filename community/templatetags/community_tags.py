from django import template

from community.models import CrisisResource

register = template.Library()


@register.simple_tag
def crisis_resources() -> list[CrisisResource]:
    """The crisis resources, for the panel shown after a post with crisis language."""
    return list(CrisisResource.objects.all())
