"""Numbers in text: extraction, sentence spans, fixed formulas, the check against the facts, past figures."""
