"""The terminal UI (Textual). It shows the core's state and forwards keystrokes."""
