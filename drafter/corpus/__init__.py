"""Stage 1: corpus files → Documents (find and decode, clean, heading tree, report type) → Chunks."""
