"""README screenshots: the dashboard, a checklist page and a page of the management report PDF.

Run against a server with the demo data (`make run`, or `make run PORT=8001` and --base):
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]
Writes docs/screenshots/{dashboard,checklist,report-page}.png. Needs Chromium (scripts/system-deps.sh)
and pdftoppm (poppler-utils) for the PDF page.
"""

import argparse
import os
import re
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--user", default="lead")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "demo-pass-2018"))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{args.base}/accounts/login/")
        page.get_by_label("Username").fill(args.user)
        page.get_by_label("Password").fill(args.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/projects/**")
        page.goto(f"{args.base}/projects/")
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
        dashboard = args.base + next(h for h in hrefs if re.fullmatch(r"/projects/\d+/", h))
        page.goto(dashboard)
        page.screenshot(path=OUT / "dashboard.png")
        # A checklist page: the open gap analysis, clause 8.1.
        page.goto(dashboard + "gap/")
        hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
        overview = next(h for h in hrefs if re.search(r"/gap/\d+/$", h))
        page.goto(args.base + overview + "clauses/8.1/")
        page.screenshot(path=OUT / "checklist.png")
        # A page of the management report: the newest on the reports page, or one generated now
        # (`make run` renders it in-process).
        page.goto(dashboard + "reports/")
        link = page.locator("a[href*='download']").first
        if not link.count():
            page.get_by_role("button", name="Generate PDF").click()
            for _ in range(60):
                page.goto(dashboard + "reports/")
                if link.count():
                    break
                page.wait_for_timeout(2000)
        with page.expect_download() as download:
            link.click()
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "report.pdf"
            download.value.save_as(pdf)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-f", "2", "-l", "2", "-singlefile", pdf, OUT / "report-page"],  # noqa: E501
                check=True,
            )
        browser.close()
    for name in ("dashboard", "checklist", "report-page"):
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
