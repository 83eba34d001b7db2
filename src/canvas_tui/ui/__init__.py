"""The Textual layer: shows the core's state and forwards keystrokes to it."""
