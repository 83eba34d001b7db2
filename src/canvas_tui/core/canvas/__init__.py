"""The canvas: the nine-block model with its key activities, the canvas-tui/1 schema and building a canvas from a session and its inference.
May import: canvas_tui.core.draft, canvas_tui.core.interview, canvas_tui.core.inference, canvas_tui.core.errors, canvas_tui.core.fsutil, canvas_tui.core.formatting, canvas_tui.core.tomlpos, canvas_tui.resources, canvas_tui.core.inputs
"""
