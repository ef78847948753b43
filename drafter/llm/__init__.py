"""The language model: the OpenAI-compatible client, prompt files, the calls log, the bundled local model."""
