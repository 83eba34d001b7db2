"""Key-activity inference: the catalogue (model and reader), reading answers, scoring, the type mix, advice and the derived blocks; `infer.infer()` runs the steps.
May import: canvas_tui.core.errors, canvas_tui.core.fsutil, canvas_tui.core.inputs, canvas_tui.core.tomlpos, canvas_tui.resources
"""
