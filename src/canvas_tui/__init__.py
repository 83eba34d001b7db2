"""canvas-tui: a guided interview for the Business Model Canvas, in the terminal."""

__version__ = "0.1.0"
