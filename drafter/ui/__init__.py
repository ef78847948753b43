"""Everything that renders to a terminal. The library never imports this package."""
