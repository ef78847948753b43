"""Drafting: what a section is given, one section (stream, check, repair), a whole run, the run directory."""
