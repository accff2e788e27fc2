"""How certification bodies grade findings, in our own words: what each grade means, how it is
handled, and within how many days it must be answered. Shown on the finding form and page; the
response window sets a nonconformity's due date when it is raised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from .models import CERTIFICATION_TYPES, AuditType, Grade


@dataclass(frozen=True)
class GradeRule:
    grade: str
    label: str
    definition: str
    handling: str
    response_days: int | None  # None: no formal answer required
    blocks_certification: bool = False

    @property
    def response(self) -> str:
        if self.response_days is None:
            return _("No formal response required.")
        return _("Answer due within %(response_days)s days of being raised.") % {
            "response_days": self.response_days
        }


def grade_rules() -> dict[str, GradeRule]:
    """Read each time: the response windows come from settings (FINDING_RESPONSE_DAYS_*)."""
    return {
        Grade.MAJOR_NC: GradeRule(
            Grade.MAJOR_NC,
            str(Grade.MAJOR_NC.label),
            _(
                "A requirement is not met in a way that puts the SMS's ability to achieve its intended "
                "results in doubt: a requirement not addressed at all, a process that is not under control, "
                "or several minor lapses on one requirement that together show a systemic failure."
            ),
            _(
                "Must be corrected and its corrective action verified effective before certification. "
                "For a Stage 2 finding the certification body does the verification; if it cannot within "
                "six months of the last Stage 2 day, Stage 2 is repeated. At surveillance, an unresolved "
                "major nonconformity can lead to suspension of the certificate."
            ),
            settings.FINDING_RESPONSE_DAYS_MAJOR,
            blocks_certification=True,
        ),
        Grade.MINOR_NC: GradeRule(
            Grade.MINOR_NC,
            str(Grade.MINOR_NC.label),
            _(
                "An isolated lapse in meeting a requirement that does not put the SMS's ability to achieve "
                "its intended results in doubt."
            ),
            _(
                "Answer with the correction, the root cause and a corrective-action plan with dates; the "
                "certification body accepts the plan and checks its implementation at the next audit, "
                "usually the first surveillance."
            ),
            settings.FINDING_RESPONSE_DAYS_MINOR,
        ),
        Grade.OBSERVATION: GradeRule(
            Grade.OBSERVATION,
            str(Grade.OBSERVATION.label),
            _(
                "Not a nonconformity: a weakness that could become one if left alone (some certification "
                "bodies call it an area of concern)."
            ),
            _("No formal response; the auditors look at it again next time. Worth a look before then."),
            None,
        ),
        Grade.OFI: GradeRule(
            Grade.OFI,
            str(Grade.OFI.label),
            _("Not a nonconformity: a suggestion to do something better or more efficiently."),
            _("Optional. Good practice is to put it in the improvement register (clause 10.2)."),
            None,
        ),
        Grade.POSITIVE: GradeRule(
            Grade.POSITIVE,
            str(Grade.POSITIVE.label),
            _("Something the auditors found done well."),
            _("Nothing to do; worth sharing with the team."),
            None,
        ),
    }


def rule_for(grade: str) -> GradeRule | None:
    return grade_rules().get(grade)


def rule_due_date(grade: str, raised_on: date) -> date | None:
    """The latest due date the grade's rule allows for a finding raised on `raised_on`."""
    rule = rule_for(grade)
    if rule is None or rule.response_days is None:
        return None
    return raised_on + timedelta(days=rule.response_days)


def needs_certification_body_verification(grade: str, audit_type: str) -> bool:
    """A major NC raised by the certification body at Stage 2 (or at any later certification audit)
    is closed only once that body has verified the correction and corrective action."""
    return grade == Grade.MAJOR_NC and audit_type in CERTIFICATION_TYPES and audit_type != AuditType.STAGE1
