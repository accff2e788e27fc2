"""What `projects` contributes through the extension registry (sms_tracker.core.extensions): the
roadmap condition of the Stage 1 readiness gate. Registered in ProjectsConfig.ready()."""

from django.urls import reverse

from sms_tracker.core.extensions import Contributions, ReadinessGroup

from .readiness import CATEGORY_ROADMAP, roadmap_phases_not_done
from .responsibilities import PROJECT_RESPONSIBILITIES

CONTRIBUTIONS = Contributions(
    readiness_blockers=(roadmap_phases_not_done,),
    responsibilities=PROJECT_RESPONSIBILITIES,
    readiness_groups=(
        # Last: the phases close once the work the other groups ask for is done.
        ReadinessGroup(
            CATEGORY_ROADMAP,
            90,
            "roadmap phase not done",
            "roadmap phases not done",
            "Open the roadmap",
            lambda project: reverse("projects:roadmap", args=[project.pk]),
        ),
    ),
)
