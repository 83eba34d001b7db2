"""The interview: question banks (model and loader), the interview state machine, answers files, saved sessions and the workshop timer.
May import: canvas_tui.core.inference, canvas_tui.core.errors, canvas_tui.core.fsutil, canvas_tui.core.formatting, canvas_tui.core.tomlpos, canvas_tui.resources, canvas_tui.core.inputs
"""
