from django import template

from community import permissions
from community.models import CrisisResource

register = template.Library()


@register.simple_tag
def can_report_post(user, post) -> bool:
    return permissions.can_report_post(user, post)


@register.simple_tag
def crisis_resources():
    return list(CrisisResource.objects.all())
