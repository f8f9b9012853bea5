"""Nothing typed into the register can make a PDF read a file, reach the network or run a script.

Two walls: templates escape what users typed, and WeasyPrint fetches only through
`StaticFilesOnly`. Each wall is tested on its own, against a real HTTP server on
127.0.0.1 that counts the requests it receives.
"""

import http.server
import threading

import pytest

from checklists import services
from checklists.models import Template
from checklists.pdf import assessment_for_pdf, assessment_pdf
from common.pdf import STATIC_BASE_URL, StaticFilesOnly, html_to_pdf, static_path
from tests.checklists.factories import questions_of, start
from tests.factories import PartnershipFactory
from tests.pdfs import pdf_text, reader


@pytest.fixture
def listener():
    """An HTTP server on 127.0.0.1 recording every path asked of it."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def hostile(base):
    return [
        '<img src="file:///etc/passwd">',
        "<script>document.body.innerHTML = 'pwned'</script>",
        f'<img src="{base}/tracker.png">',
        '<link rel="attachment" href="file:///etc/hostname">',
        f"<style>@import url({base}/evil.css);</style>",
        f"{base}/plain-url-in-text",
    ]


def embedded_files_and_images(content: bytes):
    pdf = reader(content)
    images = [image for page in pdf.pages for image in page.images]
    return pdf.attachments, images


def test_what_users_type_is_printed_literally_and_never_fetched(officer, listener):
    base, requests = listener
    partnership = PartnershipFactory(name='<img src="file:///etc/passwd"> Partnership', purpose="<b>bold</b>")
    assessment = start(partnership, officer, kind=Template.Kind.IMPROVEMENT)
    strings = hostile(base)
    areas = questions_of(assessment)
    services.assessment_save_answers(
        assessment=assessment, version=assessment.version, user=officer,
        answers={area: {"meets": "no", "action": text} for area, text in zip(areas, strings)},
    )

    content = assessment_pdf(assessment_for_pdf(pk=assessment.pk, user=officer))

    text = pdf_text(content)
    for string in strings:
        assert string in text
    assert '<img src="file:///etc/passwd"> Partnership' in text
    assert "pwned" not in text.replace("'pwned'", "")
    assert "root:x:0:0" not in text
    assert requests == []
    assert embedded_files_and_images(content) == ({}, [])


def test_the_fetcher_refuses_files_and_the_network_even_in_raw_html(listener, tmp_path):
    """The second wall: markup that is not escaped still cannot fetch anything but static files."""
    base, requests = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-contents")
    fetcher = StaticFilesOnly()
    html = f"""<html lang="en-GB"><head><title>Raw</title>
      <link rel="stylesheet" href="{base}/evil.css">
      <link rel="attachment" href="file://{secret}">
      <link rel="attachment" href="{STATIC_BASE_URL}pdf/report.css">
      </head><body>
      <img src="file:///etc/passwd" alt="">
      <img src="{base}/tracker.png" alt="">
      <img src="{STATIC_BASE_URL}../../../../etc/passwd" alt="">
      <img src="{STATIC_BASE_URL}%2e%2e/%2e%2e/etc/passwd" alt="">
      <img src="https://example.com/tracker.png" alt="">
      <img src="data:image/png;base64,iVBORw0KGgo=" alt="">
      <iframe src="file:///etc/passwd"></iframe>
      <object data="{base}/object"></object>
      <p style="background: url({base}/background.png)">text</p>
      </body></html>"""

    content = html_to_pdf(html, url_fetcher=fetcher)

    assert requests == []
    assert b"the-secret-contents" not in content
    attachments, images = embedded_files_and_images(content)
    # Only the app's own stylesheet may be attached; nothing else is read.
    assert list(attachments) == ["report.css"]
    assert images == []
    assert f"file://{secret}" in fetcher.refused
    assert "file:///etc/passwd" in fetcher.refused
    assert f"{base}/tracker.png" in fetcher.refused
    assert f"{base}/background.png" in fetcher.refused
    assert "https://example.com/tracker.png" in fetcher.refused
    assert fetcher.served == [f"{STATIC_BASE_URL}pdf/report.css"]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:8000/static/pdf/report.css",
    "https://register.invalid/static/../settings.py",
    "https://register.invalid/static/%2e%2e/config/settings.py",
    "https://register.invalid/static/pdf/report.css?x=1",
    "https://user:pw@register.invalid/static/pdf/report.css",
    "https://register.invalid:8443/static/pdf/report.css",
    "https://register.invalid/static/pdf/missing.css",
    "https://register.invalid/static/scss/app.scss",
    "https://register.invalid.example.com/static/pdf/report.css",
    "data:text/css,body{}",
])
def test_only_existing_static_files_of_known_types_resolve(url):
    assert static_path(url) is None


def test_the_app_stylesheet_resolves():
    assert static_path(f"{STATIC_BASE_URL}pdf/report.css").name == "report.css"
