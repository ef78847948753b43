"""What is this file? One clear line before python-docx sees it.

python-docx says "Package not found" for every file that is not a zip — a .doc, a password-protected
.docx (no longer a zip but an OLE compound file), a .wps, an RTF or HTML page saved as ".doc" — and
opens an empty or scanned document without complaint. ``open_word`` tells these apart from the
first bytes and the zip's content types, and raises ``WordFileError`` (exit 2) naming the file and
what to do. drafter never guesses at the old binary formats: it asks for a .docx.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from drafter.errors import InputFileError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE2 compound file: .doc, .wps, encrypted Office files
W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_MACRO = ("application/vnd.ms-word.document.macroEnabled.main+xml",
            "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
CT_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
SAVE_AS = "open it in Word or WPS and save it as .docx (Word 文档)"
# Suffixes that mean "a Word-like file": `drafter check` reads them as Word, not as text.
WORD_SUFFIXES = (".docx", ".doc", ".docm", ".dotx", ".dotm", ".wps", ".wpt", ".odt", ".rtf")


class WordFileError(InputFileError):
    meaning = "the Word file cannot be read"


def looks_like_word(path: Path) -> bool:
    """Whether ``path`` should be read as a Word file: by its suffix, or a zip / OLE file by its bytes."""
    if path.suffix.lower() in WORD_SUFFIXES:
        return True
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith(b"PK\x03\x04") or head == CFB_MAGIC


def _cfb_has(data: bytes, name: str) -> bool:
    """A compound file's directory stores stream names in UTF-16LE: finding one is enough to tell."""
    return name.encode("utf-16-le") in data


def problem(path: Path) -> str | None:
    """Why ``path`` is not a .docx drafter can read, in one line; None when it is one with text."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "no such Word file"
    except IsADirectoryError:
        return "is a folder, not a Word file"
    except OSError as e:
        return f"cannot read ({e.strerror})"
    if not data:
        return "the file is empty (0 bytes)"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_problem(path)
    if data.startswith(CFB_MAGIC):
        if _cfb_has(data, "EncryptedPackage") or _cfb_has(data, "EncryptionInfo"):
            return "the document is password-protected: remove the password in Word or WPS, then save it as .docx"
        if _cfb_has(data, "WordDocument"):
            if path.suffix.lower() in (".wps", ".wpt"):
                return f"a WPS 文字 .wps file (a variant of the old binary .doc format): {SAVE_AS}"
            return f"an old binary Word file (.doc, Word 97-2003): {SAVE_AS}"
        if _cfb_has(data, "CONTENTS"):
            return f"a Microsoft Works .wps file: {SAVE_AS}"
        if _cfb_has(data, "Workbook") or _cfb_has(data, "PowerPoint Document"):
            return "an Excel or PowerPoint file (.xls/.ppt), not a Word document"
        return "an OLE compound file that is not a Word document"
    head = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if head.startswith(b"{\\rtf"):
        return f"an RTF file, not a .docx: {SAVE_AS}"
    if head.startswith(b"%pdf-"):
        return "a PDF file, not a Word document"
    if b"<html" in head[:300] or head.startswith(b"<!doctype html") or head.startswith(b"mime-version:"):
        return f"a web page (HTML/MHT) saved under a Word name: {SAVE_AS}"
    if head.startswith(b"<?xml") and b"w:worddocument" in data[:2000].lower():
        return f"a Word 2003 XML file: {SAVE_AS}"
    return "not a Word document (neither a .docx nor an old .doc)"


def _zip_problem(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "mimetype" in names and z.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                return f"an OpenDocument file (.odt), not a .docx: {SAVE_AS}"
            if "[Content_Types].xml" not in names:
                return "a zip archive, not a Word document"
            types = z.read("[Content_Types].xml").decode("utf-8", "replace")
            if "spreadsheetml" in types or "presentationml" in types:
                return "an Excel or PowerPoint file (.xlsx/.pptx), not a Word document"
            if any(ct in types for ct in CT_MACRO):
                return f"a macro-enabled Word file (.docm/.dotm): {SAVE_AS}"
            if CT_TEMPLATE in types:
                return f"a Word template (.dotx): {SAVE_AS}"
            m = re.search(r'<Override[^>]*PartName="/([^"]+)"[^>]*ContentType="' + re.escape(CT_DOCX), types)
            if m is None:
                return "an Office package without a Word document in it"
            root = ET.fromstring(z.read(m.group(1)))
    except zipfile.BadZipFile:
        return "a damaged zip (the file may be truncated or only partly downloaded)"
    except (KeyError, ET.ParseError):
        return "the document part of the .docx is missing or damaged"
    if root.tag == f"{{{W_STRICT}}}document":
        return "a Strict Open XML .docx: save it in Word as “Word 文档 (.docx)”, not as Strict"
    body = root.find(f"{{{W_MAIN}}}body")
    if body is None:
        return "the document part of the .docx is missing or damaged"
    text = "".join(t.text or "" for t in body.iter(f"{{{W_MAIN}}}t")).strip()
    if not text:
        images = sum(1 for e in body.iter() if e.tag.endswith("}blip") or e.tag.endswith("}imagedata"))
        if images:
            return f"the document holds only images ({images}; a scan?): there is no text to read"
        return "the document has no text (empty)"
    return None


def open_word(path: Path) -> "DocxDocument":
    """The .docx at ``path`` opened with python-docx, or ``WordFileError`` saying what the file is."""
    reason = problem(path)
    if reason is not None:
        raise WordFileError(f"{path}: {reason}")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError, AttributeError, XMLSyntaxError) as e:
        raise WordFileError(f"{path}: not a .docx python-docx can open ({e})") from e
