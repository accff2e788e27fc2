"""Readiness lives in one package; another app still adds rules of its own through the extension
registry (docs/readiness.md), and every reader sees them: the gates, the grouped page and the
`readiness` command."""

import pytest
from django.core.management import call_command

from kernel import extensions
from kernel.extensions import Blocker, Contributions, ReadinessGroup
from readiness.gate import readiness
from readiness.rules import BUILT_IN
from tests.factories import iso_template

CATEGORY = "Sample rules"  # not a real app's category (the registers app has "Registers")


def register_blockers(project):
    return [Blocker(CATEGORY, "The supplier register has no owner.", f"/projects/{project.pk}/registers/")]


def stage2_only(project):
    return [Blocker(CATEGORY, "The capacity register was not reviewed this year.", "")]


def watch_warning(project):
    return [Blocker(CATEGORY, "The asset register is large.", "")]


@pytest.fixture
def contributed():
    extensions.register(
        "sample_rules_test",
        Contributions(
            readiness_blockers=(register_blockers,),
            stage2_readiness_blockers=(stage2_only,),
            readiness_warnings=(watch_warning,),
            readiness_groups=(
                ReadinessGroup(
                    CATEGORY,
                    45,
                    "register to complete",
                    "registers to complete",
                    "Open the registers",
                    lambda project: f"/projects/{project.pk}/registers/",
                ),
            ),
        ),
    )
    yield
    extensions._registry.pop("sample_rules_test")


def test_a_contributed_rule_blocks_both_gates_after_the_built_in_ones(world, contributed):
    iso_template()
    first, second = readiness(world.project, 1), readiness(world.project, 2)
    assert first.blockers[-1].message == "The supplier register has no owner."  # after every app's
    assert [b.message for b in second.blockers if b.category == CATEGORY] == [
        "The supplier register has no owner.",
        "The capacity register was not reviewed this year.",
    ]
    assert "The capacity register was not reviewed this year." not in [b.message for b in first.blockers]
    assert first.warnings[-1].message == "The asset register is large."
    group = next(g for g in first.groups if g.category == CATEGORY)
    assert group.headline == "Sample rules: 1 register to complete"
    assert group.action_url == f"/projects/{world.project.pk}/registers/"
    steps = [g.spec.step for g in first.groups]
    assert steps == sorted(steps)


def test_every_reader_shows_a_contributed_rule(world, client_for, contributed, capsys):
    iso_template()
    page = client_for("viewer").get(f"/projects/{world.project.pk}/audits/readiness/").content.decode()
    assert "Sample rules: 1 register to complete" in page
    with pytest.raises(SystemExit):
        call_command("readiness", str(world.project.pk))
    assert "The supplier register has no owner." in capsys.readouterr().out


def test_without_contributions_only_the_built_in_rules_run(world):
    """The built-in rules are the package's own, not registry entries of the domain apps."""
    # The registers app contributes its own rules (registers/readiness.py); no domain app's built-in
    # rule is a registry entry.
    contributed = {rule.__module__ for rule in extensions.readiness_blockers(2)}
    assert contributed <= {"registers.readiness"} and not extensions.readiness_warnings()
    assert len(BUILT_IN.stage1) == 4 and len(BUILT_IN.stage2) == 2
    iso_template()
    categories = {b.category for b in readiness(world.project, 1).blockers}
    assert {"Roadmap", "Documented information", "Internal audit"} <= categories


def test_there_is_no_stage_3(world):
    with pytest.raises(ValueError, match="no certification stage 3"):
        readiness(world.project, 3)
