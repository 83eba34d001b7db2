"""The UI-free core, in layers: errors/fsutil/formatting/tomlpos, then inference, interview, canvas, exports; workbench.py (what the UI calls) and headless.py (what `run` calls) sit on top, with team/.
Nothing under this package may import textual or rich (a test enforces it); each sub-package's __init__ names what it may import.
"""
