"""PDFs from the HTML templates under templates/pdf/, rendered by WeasyPrint.

Everything a PDF shows is rendered by Django templates, so whatever users typed is
escaped like on any page. As a second wall, WeasyPrint fetches through
`StaticFilesOnly`: the app's own static files and nothing else, so even markup that
slipped through could not read `file://` paths or reach the network.
"""

import datetime
import functools
import hashlib
import logging
import mimetypes
import threading
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

# Documents are given this base URL; only URLs under it can be fetched. The
# `.invalid` top-level domain never resolves, and nothing here opens it anyway.
STATIC_BASE_URL = "https://register.invalid/static/"
STATIC_TYPES = {".css", ".png", ".jpg", ".jpeg", ".svg", ".gif", ".woff", ".woff2"}
STYLESHEET = "pdf/report.css"

logger = logging.getLogger(__name__)


class RefusedFetch(ValueError):
    pass


class StaticFilesOnly(weasyprint.URLFetcher):
    """Serves `STATIC_BASE_URL/<path>` from the static files; refuses every other URL.

    Refused URLs are kept in `refused` so tests (and logs) can see what was asked for.
    """

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"https"}, allow_redirects=False, **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedFetch(f"Only the app's own static files may be used in a PDF, not {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The file a static URL names, or None if the URL is anything else."""
    if not url.startswith(STATIC_BASE_URL):
        return None
    parts = urlsplit(url)
    if parts.query or parts.username or parts.password or parts.port:
        return None
    relative = PurePosixPath(unquote(parts.path).removeprefix("/static/"))
    if relative.is_absolute() or ".." in relative.parts or relative.suffix.lower() not in STATIC_TYPES:
        return None
    found = finders.find(str(relative))
    return Path(found) if found else None


_per_thread = threading.local()


def fonts() -> FontConfiguration:
    """Pango's font set-up, made once per thread (it is not shared between threads)."""
    if not hasattr(_per_thread, "fonts"):
        _per_thread.fonts = FontConfiguration()
    return _per_thread.fonts


def stylesheet() -> weasyprint.CSS:
    """The report stylesheet, parsed once per thread."""
    if not hasattr(_per_thread, "stylesheet"):
        _per_thread.stylesheet = weasyprint.CSS(
            url=STATIC_BASE_URL + STYLESHEET, url_fetcher=StaticFilesOnly(), font_config=fonts()
        )
    return _per_thread.stylesheet


PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def render_pdf(template_name: str, context: dict, *, target=None) -> bytes | None:
    """Render a template under templates/pdf/ to a tagged PDF (PDF/UA-1).

    Returns the bytes, or writes to `target` (a path or file object) and returns None.
    The template sets the document's title (`<title>`) and language (`<html lang>`).

    Returned bytes come from `kept_pdf`: a PDF that shows exactly what one made earlier
    showed is that one, not laid out again.
    """
    if target is None:
        return kept_pdf(template_name, context)
    return write(render_document(template_name, context), target=target)


def render_document(template_name: str, context: dict) -> weasyprint.Document:
    """The laid-out pages, to count before writing (scrutiny packs number their pages)."""
    return html_document(render_html(template_name, context, generated_at=timezone.localtime()))


def render_html(template_name: str, context: dict, *, generated_at: datetime.datetime) -> str:
    return render_to_string(template_name, {"generated_at": generated_at, **context})


# What every kept PDF's key is rendered with in place of the time it is made, so that two
# renderings that differ only in that time have the same key.
UNDATED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# Raise when a change to how PDFs are made is not in their HTML, the stylesheet or WeasyPrint's
# version (the finisher, say): PDFs kept before it are then made again.
KEPT_FORMAT = 1


@functools.cache
def layout_version() -> str:
    """What, besides its HTML, makes a PDF what it is: the report stylesheet, WeasyPrint's
    version and KEPT_FORMAT. In every kept PDF's key, so that a release that changes any of
    them never serves a PDF laid out before it."""
    css = static_path(STATIC_BASE_URL + STYLESHEET)
    digest = hashlib.sha256(css.read_bytes() if css else b"").hexdigest()[:16]
    return f"{KEPT_FORMAT}:{weasyprint.__version__}:{digest}"


def kept_pdf(template_name: str, context: dict) -> bytes:
    """The PDF of `template_name` with `context`, from the "pdfs" cache while what it shows
    has not changed.

    Laying a report out takes WeasyPrint 0.1-2 s, and a committee's members download the
    same approved assessment in the same hour. The key is a digest of the whole HTML the
    PDF is made from (bar the time it is made), so anything that changes what the PDF
    shows (an answer, an action's status, the register entry, a DRAFT mark, a person's
    name) gives a new key, as does a new stylesheet or WeasyPrint (`layout_version`):
    nothing kept can be out of date, and nobody is given a PDF that shows what they could
    not see themselves. Its footer gives the time it was made. Rendering the HTML for the
    key costs a few ms; a PDF not kept is rendered again, with the time, to be made.
    """
    undated = render_html(template_name, context, generated_at=UNDATED)
    key = "pdf:" + hashlib.sha256(f"{layout_version()}\n{template_name}\n{undated}".encode()).hexdigest()
    kept = caches["pdfs"]
    try:
        content = kept.get(key)
    except Exception:  # a folder that cannot be read, a damaged file: made afresh, as if nothing were kept
        logger.warning("Kept PDFs could not be read", exc_info=True)
        content = None
    if content is None:
        content = write(render_document(template_name, context))
        try:
            kept.set(key, content)
        except OSError:  # a full disk or a folder that cannot be written: served, not kept
            logger.warning("A PDF could not be kept", exc_info=True)
    return content


def html_document(html: str, *, url_fetcher: StaticFilesOnly | None = None) -> weasyprint.Document:
    document = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=url_fetcher or StaticFilesOnly())
    return document.render(stylesheets=[stylesheet()], font_config=fonts(), **PDF_OPTIONS)


def write(document: weasyprint.Document, *, target=None) -> bytes | None:
    return document.write_pdf(target, finisher=scope_table_headers, **PDF_OPTIONS)


def scope_table_headers(_document, pdf: pydyf.PDF) -> None:
    """Give every table header cell its scope (Row or Column), as PDF/UA asks.

    WeasyPrint ties each data cell to its headers (`/Headers`, from the HTML's
    `scope`) but leaves the header cells without `/Scope`, so checkers and some screen
    readers cannot tell a row's header from a column's. A header that a data cell of
    its own row names is the row's header; any other header is its column's.
    """
    for row in pdf.objects:
        if not isinstance(row, pydyf.Dictionary) or row.get("S") != "/TR":
            continue
        cells = [pdf.objects[int(kid.split()[0])] for kid in row.get("K", ()) if isinstance(kid, bytes)]
        named_in_row = {
            header.string for cell in cells if cell.get("S") == "/TD"
            for header in cell.get("A", {}).get("Headers", ())
        }
        for cell in cells:
            if cell.get("S") == "/TH":
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                scope = "/Row" if "ID" in cell and cell["ID"].string in named_in_row else "/Column"
                attributes["Scope"] = scope


def page_number_stamps(*, first: int, count: int, total: int) -> bytes:
    """`count` pages that carry nothing but "Page X of Y" in the footer, X from `first`:
    laid over a scrutiny pack's pages once its length is known. Untagged: the numbers
    are page furniture, which the join marks as an artifact."""
    html = render_to_string("pdf/page_numbers.html", {"first": first, "total": total, "pages": range(count)})
    document = weasyprint.HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticFilesOnly())
    return document.render(font_config=fonts()).write_pdf()  # its own few styles: laid out in ms a page


def html_to_pdf(html: str, *, target=None, url_fetcher: StaticFilesOnly | None = None) -> bytes | None:
    return write(html_document(html, url_fetcher=url_fetcher), target=target)


def pdf_response(content: bytes, filename: str):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
