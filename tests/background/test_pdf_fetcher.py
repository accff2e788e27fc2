"""WeasyPrint may read static files and data: URIs, nothing else."""

import pytest

from reports.pdf import PDF_BASE_URL, RefusedURL, static_only_fetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/static/css/pdf.css",
        PDF_BASE_URL + "media/reports/1/secret.pdf",
        PDF_BASE_URL + "static/../sms_tracker/settings.py",
        "http://127.0.0.1:8000/admin/",
    ],
)
def test_other_urls_are_refused(url):
    with pytest.raises((RefusedURL, ValueError)):
        static_only_fetcher().fetch(url)


def test_static_files_and_data_uris_are_served():
    css = static_only_fetcher().fetch(PDF_BASE_URL + "static/css/pdf.css")
    assert b"font-family" in css.read() and css.content_type == "text/css"
    data = static_only_fetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"
