"""A founder's own draft of key activities: reading it (any common form), mapping each line to a catalogue activity and auditing it against the answers' inference.
May import: canvas_tui.core.inference, canvas_tui.core.errors, canvas_tui.core.inputs, canvas_tui.core.tomlpos, canvas_tui.resources

Modules: `rules` (the audit's data, question_banks/default/drafts.toml), `parse` (plain
lines, bullets, numbering, Markdown sections and tables, canvas-tui TOML → `Draft`),
`mapping` (a line → an activity id or ``custom-<slug>``), `audit` (the verdicts and the
activities the answers demand that the draft lacks). docs/drafts.md describes the rules.
"""

#: The verdicts on a drafted line (docs/drafts.md): here, so that reading a canvas file
#: (core/canvas/schema.py) does not load the parser and the matcher.
VERDICTS = ("supported", "generic", "duplicate", "unsupported", "miscategorised")
