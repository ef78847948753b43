"""Export: a Markdown draft as typed blocks, and the Word file in the GB/T 9704 look."""
