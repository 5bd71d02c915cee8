"""Reading a printed sheet back: the text of each page, and where each character was drawn.

pypdfium2 (the test extras) reads what a PDF viewer or a printer would show, so a test checks the
page itself, not what the code meant to draw."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def page_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def joined(path: Path) -> str:
    """Every page's text with line breaks removed: a cell's wrapped lines read as one."""
    return "".join("".join(text.split()) for text in page_texts(path))


def char_boxes(path: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page: (character, left, right, top) in points from the page's left and bottom edges."""
    document = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for page in document:
            text = page.get_textpage()
            found = []
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                left, bottom, right, top = text.get_charbox(index)
                found.append((char, left, right, top))
            pages.append(found)
    finally:
        document.close()
    return pages


def page_size(path: Path) -> tuple[float, float]:
    document = pdfium.PdfDocument(str(path))
    try:
        return document[0].get_size()
    finally:
        document.close()
