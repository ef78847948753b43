"""drafter: write Chinese work reports with an LLM, and prove every number in them."""

__version__ = "0.1.0"
