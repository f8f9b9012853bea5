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
