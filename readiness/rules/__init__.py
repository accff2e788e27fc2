"""The built-in readiness rules, in the order their blockers are listed: the roadmap, the gap
analysis, documented information, then audits (Stage 1); for Stage 2 also the audits' Stage 2
conditions and the full operating period; the warnings shown beside both gates; and how the
readiness page presents each category (ReadinessGroup). Each rule is rule(project) -> [Blocker]
in a constant number of queries. Rules of other apps come through the extension registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from kernel.extensions import ReadinessGroup

from . import audits, documents, gap, roadmap


class Rules(NamedTuple):
    stage1: tuple[Callable, ...]
    stage2: tuple[Callable, ...]  # beyond stage1's
    warnings: tuple[Callable, ...]
    groups: tuple[ReadinessGroup, ...]


BUILT_IN = Rules(
    stage1=(
        roadmap.roadmap_phases_not_done,
        gap.gap_readiness_blockers,
        documents.documented_information_blockers,
        audits.stage1_blockers,
    ),
    stage2=(audits.stage2_blockers, audits.operating_period_blockers),
    warnings=(audits.readiness_warnings,),
    groups=(*roadmap.GROUPS, *gap.GROUPS, *documents.GROUPS, *audits.GROUPS),
)
