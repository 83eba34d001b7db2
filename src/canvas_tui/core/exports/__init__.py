"""Exports: the template context, escaping for Markdown/HTML/TOML, rendering through Jinja2 (user templates sandboxed).
May import: canvas_tui.core.canvas, canvas_tui.core.interview, canvas_tui.core.inference, canvas_tui.core.errors, canvas_tui.core.fsutil, canvas_tui.core.formatting, canvas_tui.core.tomlpos, canvas_tui.resources, canvas_tui.core.inputs
"""
