"""`drafter eval`: metrics, cases, a run over them, baselines, and the checker's labelled suite."""
