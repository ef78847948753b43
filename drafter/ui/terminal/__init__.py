"""The interactive drafting session: single keys, the screen, the section loop, the outline review."""
