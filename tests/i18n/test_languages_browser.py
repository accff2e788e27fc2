"""The lead's main pages in German (long words) and Simplified Chinese, in Chromium: each page is in
the lead's language (`<html lang>`, the navigation's translated words), axe finds nothing serious at
desktop and phone widths, and nothing pushes the page wider than a phone. Screenshots of each page are
written to `$I18N_SCREENSHOTS` (or the test's temporary directory) to be looked at (docs/i18n.md)."""

import os
from pathlib import Path

import pytest
from django.utils import translation

from identity.models import LanguagePreference
from kernel.models import Role
from projects.models import Project
from tests.browser.demo import seed_demo, serious_violations, sign_in
from tests.browser.test_accessibility import main_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words every signed-in page shows (navigation and menu), in the lead's language.
NAVIGATION = ("Projects", "My work")


def _screens(tmp_path, language) -> Path:
    root = Path(os.environ.get("I18N_SCREENSHOTS") or tmp_path) / language
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.mark.parametrize("language", ["de", "zh-hans"])
def test_the_leads_pages_in_german_and_chinese(page, live_server, tmp_path, language):
    project = seed_demo()
    lead = Project.objects.get(pk=project.pk).memberships.get(role=Role.LEAD).user
    LanguagePreference.objects.update_or_create(user=lead, defaults={"language": language})
    with translation.override(language):
        words = [translation.gettext(word) for word in NAVIGATION]
    assert not set(words) & set(NAVIGATION), f"{language} has no translation of {NAVIGATION}"
    screens = _screens(tmp_path, language)
    sign_in(page, live_server, lead.username)
    found, wide = [], []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for number, path in enumerate(main_pages(project)):
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.lang") == language, path
            if width > 768:  # on a phone the navigation folds into its menu button
                body = page.inner_text("body")
                assert all(word in body for word in words), (path, words)
            found += serious_violations(page)
            if page.evaluate("document.documentElement.scrollWidth") > width + 1:
                wide.append(f"{path} at {width}px")
            page.screenshot(path=screens / f"{width}-{number:02d}.png", full_page=True)
    assert not found, "\n".join(found)
    assert not wide, "wider than the window: " + ", ".join(wide)
