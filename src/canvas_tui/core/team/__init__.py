"""Team tools for facilitators: compare (diff), merge a team's canvases, the sessions report and their shared rendering.
May import: canvas_tui.core.workbench, canvas_tui.core.canvas, canvas_tui.core.exports, canvas_tui.core.interview, canvas_tui.core.inference, canvas_tui.core.errors, canvas_tui.core.fsutil, canvas_tui.core.formatting, canvas_tui.core.tomlpos, canvas_tui.resources, canvas_tui.core.inputs
"""
