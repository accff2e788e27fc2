"""What `projects` contributes through the extension registry (sms_tracker.core.extensions): the
roadmap condition of the Stage 1 readiness gate. Registered in ProjectsConfig.ready()."""

from sms_tracker.core.extensions import Contributions

from .readiness import roadmap_phases_not_done
from .responsibilities import PROJECT_RESPONSIBILITIES

CONTRIBUTIONS = Contributions(
    readiness_blockers=(roadmap_phases_not_done,), responsibilities=PROJECT_RESPONSIBILITIES
)
