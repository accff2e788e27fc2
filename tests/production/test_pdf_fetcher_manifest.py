"""Issue 9 §2.5: with the manifest storage of production, the PDF fetcher finds the hashed names
`{% static %}` writes (the finders do not know them) and still refuses everything else."""

import pytest
from django.templatetags.static import static

from reports.pdf import PDF_BASE_URL, RefusedURL, static_only_fetcher


def test_the_hashed_stylesheet_is_served():
    hashed = static("css/pdf.css")
    assert hashed != "/static/css/pdf.css"
    response = static_only_fetcher().fetch(PDF_BASE_URL + hashed.lstrip("/"))
    assert b"font-family" in response.read() and response.content_type == "text/css"


@pytest.mark.parametrize(
    "path",
    [
        "static/css/pdf.0123456789ab.css",  # a hash the manifest does not have
        "static/staticfiles.json",  # the manifest itself is no static file
        "static/../sms_tracker/settings.py",
        "static/css/../../manage.py",
        "media/reports/1/secret.pdf",
    ],
)
def test_names_outside_the_manifest_are_refused(path):
    with pytest.raises((RefusedURL, ValueError)):
        static_only_fetcher().fetch(PDF_BASE_URL + path)
