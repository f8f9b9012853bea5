"""Reading PDFs in tests: their text as poppler's pdftotext extracts it, and their structure via pypdf."""

import io
import subprocess

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """All the text, with runs of whitespace (line and page breaks) folded to one space."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return squash(result.stdout.decode())


def page_texts(content: bytes) -> list[str]:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return [squash(page) for page in result.stdout.decode().split("\f") if page.strip()]


def squash(text: str) -> str:
    return " ".join(text.split())


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def outline_titles(content: bytes) -> list:
    """The bookmarks as nested lists of titles."""
    pdf = reader(content)

    def walk(items):
        titles = []
        for item in items:
            titles.append(walk(item) if isinstance(item, list) else item.title)
        return titles

    return walk(pdf.outline)


def text_lines(content: bytes) -> list[dict]:
    """Every line of text with where it is drawn: page number, page size and bounding box (points)."""
    import xml.etree.ElementTree as ElementTree

    result = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"], input=content,
                            capture_output=True, check=True)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    lines = []
    for number, page in enumerate(ElementTree.fromstring(result.stdout).iter(f"{xhtml}page"), start=1):
        for line in page.iter(f"{xhtml}line"):
            lines.append({
                "page": number, "width": float(page.get("width")), "height": float(page.get("height")),
                **{edge: float(line.get(edge)) for edge in ("xMin", "yMin", "xMax", "yMax")},
                "text": " ".join(word.text or "" for word in line.iter(f"{xhtml}word")),
            })
    return lines
