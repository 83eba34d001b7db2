"""Screens of the terminal UI: each calls the core and updates its widgets."""
