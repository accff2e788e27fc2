"""The management review asks about climate among the changes in issues and interested parties'
needs: since Amd 1:2024 the organization decides whether climate change is a relevant issue (4.1)."""

from audits.reviews import REVIEW_INPUTS
from tests.factories import make_review


def test_the_context_changes_input_prompts_for_climate(world):
    titles = dict(REVIEW_INPUTS)
    assert "climate change" in titles["context_changes"]
    assert "climate-related" in titles["context_changes"]
    review = make_review(world.project, user=world.user("lead"))
    section = review.sections.get(key="context_changes")
    assert "climate change" in section.title
