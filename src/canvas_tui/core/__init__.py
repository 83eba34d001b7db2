"""The UI-free core: banks, interview, sessions, inference, canvas and exports.

Nothing under this package may import textual or rich (a test enforces it).
"""
