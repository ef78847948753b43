"""Outlines: a report type's skeleton learned from the corpus, facts placed in sections, Markdown, LLM rewording."""
