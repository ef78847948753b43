"""Stage 2: the search index: catalogue (SQLite, the source of truth), vectors (Chroma), BM25, ingest, retrieval."""
