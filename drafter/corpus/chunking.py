"""Split a Document into Chunks at Chinese sentence boundaries, one heading path at a time.

A chunk never spans two sections, never cuts a sentence (so never a number or a heading), and
carries its heading path, document, type, year and position. A chunk that holds data numbers
is a 'fact' chunk; one with placeholders (X次, XX名, **中学) or without numbers is 'style', so
unfilled templates are never retrieved as facts.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from drafter.numbers.extract import extract
from drafter.records import Chunk, Document

# Zero-width separators keep the punctuation on its sentence; an ASCII comma that is followed by a
# digit is a thousands separator (12,036), not a clause break.
SEPARATORS = ("\n", r"(?<=[。！？!?])", r"(?<=[；;])", r"(?<=[，,])(?![0-9])", r"(?<=、)")


@lru_cache(maxsize=8)
def _splitter(chunk_size: int, chunk_overlap: int):
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=list(SEPARATORS),
        is_separator_regex=True,
        keep_separator=True,
        strip_whitespace=True,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        length_function=len,
    )


def chunk_document(doc: Document, chunk_size: int = 320, chunk_overlap: int = 0) -> list[Chunk]:
    splitter = _splitter(chunk_size, chunk_overlap)
    chunks: list[Chunk] = []
    # Consecutive blocks under the same heading path are split together, so a short paragraph
    # joins its neighbour instead of becoming a chunk of its own.
    groups: list[tuple[tuple[str, ...], list[tuple[int, str]]]] = []
    for block in doc.blocks:
        if groups and groups[-1][0] == block.heading_path:
            groups[-1][1].append((block.line, block.text))
        else:
            groups.append((block.heading_path, [(block.line, block.text)]))
    for path, blocks in groups:
        joined = "\n".join(text for _, text in blocks)
        starts = _block_starts(blocks)
        cursor = 0
        for piece in splitter.split_text(joined):
            if not piece.strip():
                continue
            at = joined.find(piece, cursor)
            cursor = max(cursor, at)
            line = next(line for start, line in reversed(starts) if start <= max(at, 0))
            position = len(chunks)
            kind, placeholder = _classify(piece)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.doc_id, position, path, piece),
                    doc_id=doc.doc_id,
                    text=piece,
                    heading_path=path,
                    position=position,
                    line=line,
                    kind=kind,
                    has_placeholder=placeholder,
                    doc_type=doc.doc_type,
                    year=doc.year,
                    title=doc.title,
                )
            )
    return chunks


def _classify(text: str) -> tuple[str, bool]:
    """(kind, has a placeholder) from one pass of the extractor: 'fact' when the text states data
    numbers and holds no placeholder, else 'style'."""
    kinds = {m.kind for m in extract(text)}
    placeholder = "placeholder" in kinds
    return ("fact" if "data" in kinds and not placeholder else "style"), placeholder


def chunk_id(doc_id: str, position: int, path: tuple[str, ...], text: str) -> str:
    key = "\x1f".join((doc_id, str(position), *path, text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def embedding_text(chunk: Chunk) -> str:
    """What is embedded and ranked lexically: the heading path gives a bare paragraph its topic."""
    if not chunk.heading_path:
        return chunk.text
    return " > ".join(chunk.heading_path) + "\n" + chunk.text


def _block_starts(blocks: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(offset in the joined text, line) of each block, to give every chunk its source line."""
    starts, offset = [], 0
    for line, text in blocks:
        starts.append((offset, line))
        offset += len(text) + 1
    return starts
