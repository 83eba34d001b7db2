"""Widgets of the terminal UI: each keeps its own DEFAULT_CSS and posts messages up."""
