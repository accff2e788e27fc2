"""PDF rendering with WeasyPrint from Django templates.

WeasyPrint only gets files it may read: static files and `data:` URIs. Static files resolve
through the static storage: with the manifest storage of production only the names of its manifest
(hashed, as `{% static %}` writes them, or plain) are served from STATIC_ROOT; with the plain storage
of development the staticfiles finders find them. Any other URL (http, file, a media path) is
refused, so a report can never pull a remote resource or a file from the server's disk.
"""

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.template.loader import render_to_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per step otherwise

# Relative URLs in the templates ({% static %} gives "/static/…") resolve against this base.
PDF_BASE_URL = "https://sms-tracker.invalid/"


class RefusedURL(ValueError):
    pass


def _static_bytes(url: str) -> bytes | None:
    parsed = urlparse(url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parsed.scheme}://{parsed.netloc}/" != PDF_BASE_URL or not parsed.path.startswith(static_prefix):
        return None
    relative = parsed.path[len(static_prefix) :]
    if ".." in relative.split("/"):
        return None
    return _static_content(relative)


def _static_content(relative: str) -> bytes | None:
    """The bytes of a static name, read through the static storage (or the finders in development),
    or None when it does not know the name."""
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin):
        manifest = storage.hashed_files
        name = manifest.get(relative, relative)
        if name not in manifest.values() or not storage.exists(name):
            return None
        with storage.open(name, "rb") as handle:
            return handle.read()
    path = finders.find(relative)
    if not path:
        return None
    with open(path, "rb") as handle:  # a finder's answer is a local file of the source tree
        return handle.read()


def static_only_fetcher():
    """A WeasyPrint URL fetcher for static files and data: URIs; everything else is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            content = _static_bytes(url)
            if content is None:
                logger.warning("PDF rendering refused to fetch %s", url)
                raise RefusedURL(f"Refused to fetch {url!r}: only static files and data: URIs are allowed.")
            return URLFetcherResponse(url, content, {"Content-Type": _mime_type(url)})

    return StaticOnlyFetcher(allowed_protocols=("data", "https"), allow_redirects=False)


def _mime_type(name: str) -> str:
    return {
        "css": "text/css",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "woff2": "font/woff2",
    }.get(name.rpartition(".")[2].lower(), "application/octet-stream")


@dataclass(frozen=True)
class RenderedPDF:
    content: bytes
    page_count: int

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def render_pdf(template_name: str, context: dict) -> RenderedPDF:
    from weasyprint import HTML

    # In the language the caller activated (reports/services.py: report_language); <html lang> picks
    # the CJK font's Chinese glyph forms.
    html = render_to_string(template_name, {"LANGUAGE_CODE": get_language(), **context})
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_fetcher()).render()
    return RenderedPDF(content=document.write_pdf(), page_count=len(document.pages))
