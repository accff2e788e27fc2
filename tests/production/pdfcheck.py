"""What a styled report PDF looks like, checked on the PDF itself (pypdf): text runs with their size
and position. Without its stylesheet the running-header strings land in the body at body size, and
the cover's title has the browser's default size."""

import io
from collections import Counter
from dataclasses import dataclass

from pypdf import PdfReader

MM = 72 / 25.4


@dataclass
class Run:
    page: int
    text: str
    size: float  # effective font size in pt
    y: float  # baseline height above the bottom edge, in pt


def text_runs(content: bytes) -> list[Run]:
    reader = PdfReader(io.BytesIO(content))
    runs = []
    for index, page in enumerate(reader.pages):

        def visit(text, cm, tm, font, size, index=index):
            if text.strip():
                scale = abs(tm[3] * cm[3]) or 1
                y = tm[5] * cm[3] + cm[5]
                runs.append(Run(index, text.strip(), round(size * scale, 1), y))

        page.extract_text(visitor_text=visit)
    return runs


def body_size(runs: list[Run]) -> float:
    """The commonest size of the text after the cover."""
    sizes = Counter(r.size for r in runs if r.page > 0).most_common(1)
    return sizes[0][0] if sizes else 0.0


DEFAULT_BODY_SIZE = 12.0  # WeasyPrint's user-agent size: what an unstyled body gets
STYLED_BODY_SIZES = (9.5, 8.0)  # pdf.css: html and .small / table cells
SECTION_HEADING_SIZE = 14.0  # pdf.css h2 (unstyled: 18 pt)


def assert_styled(content: bytes, *, title: str, running: str = "SMS Tracker · generated"):
    runs = text_runs(content)
    assert runs, "the PDF has no text"
    cover_title = [r for r in runs if r.page == 0 and title in r.text]
    assert cover_title, f"the cover does not show {title!r}"
    body = body_size(runs)
    assert body in STYLED_BODY_SIZES and body != DEFAULT_BODY_SIZE, f"body text is {body} pt"
    assert any(r.page > 0 and r.size == SECTION_HEADING_SIZE for r in runs), "no 14 pt section heading"
    assert abs(cover_title[0].size - 22) < 0.5, f"the cover title is {cover_title[0].size} pt, not 22 pt"
    header_runs = [r for r in runs if running in r.text]
    assert header_runs, "the running footer is missing"
    for run in header_runs:
        assert run.size < 9 and run.y < 20 * MM, f"running text in the body: {run}"
