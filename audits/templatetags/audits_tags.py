from django import template
from django.db.models import Count, Q
from django.utils import timezone

from ..models import NC_GRADES, OPEN_FINDING_STATUSES, Finding, Grade

register = template.Library()


@register.simple_tag
def audit_dashboard(project):
    """The dashboard card's figures in one query."""
    today = timezone.localdate()
    open_nc = Q(grade__in=NC_GRADES, status__in=OPEN_FINDING_STATUSES)
    return Finding.objects.filter(project=project).aggregate(
        open_ncs=Count("id", filter=open_nc),
        open_majors=Count("id", filter=open_nc & Q(grade=Grade.MAJOR_NC)),
        overdue=Count("id", filter=open_nc & Q(due_date__lt=today)),
    )


@register.filter
def cycle_state(step, today):
    """held / planned / planned too late / not planned / overdue, for a step of the certification cycle."""
    return step.state(today)
