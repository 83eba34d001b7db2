"""The export dialog: format, path (with a sensible default), overwrite confirmation.

`ExportDialog` is a `ModalScreen[Path | None]`: it dismisses with the written path. The
file is rendered and written in a worker. With a workspace, the path must resolve inside
it; in a browser (textual-serve) the file is also delivered as a download.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from canvas_tui.core.canvas.model import Canvas
from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.exports import render as export
from canvas_tui.core.exports.target import format_of_name, resolve_target
from canvas_tui.ui.screens.dialogs import DIALOG_CSS, ConfirmDialog
from canvas_tui.ui.widgets.inputs import TextInput

if TYPE_CHECKING:
    from canvas_tui.ui.app import CanvasApp

FORMAT_LABELS: dict[str, str] = {
    "toml": "TOML — the canvas file, can be reopened later",
    "md": "Markdown — for documents, wikis and notes",
    "html": "HTML — a page to print or share",
    "json": "JSON — for other tools",
}


def default_filename(canvas: Canvas, fmt: str) -> str:
    return export.default_filename(canvas, fmt)


class ExportDialog(ModalScreen[Path | None]):
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportDialog")
        + """
    ExportDialog RadioSet { width: 1fr; }
    ExportDialog #canvas-only { border: none; padding: 0 1; }
    ExportDialog #where { color: $text-muted; }
    ExportDialog #error { display: none; margin-top: 1; }
    ExportDialog #error.-shown { display: block; }
    ExportDialog.-short .buttons { margin-top: 0; }  /* 24 rows: the buttons stay in view */
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Export", priority=True),
        # the filename box has no use for up/down: they reach the format list
        Binding("up,down", "formats", "Formats", show=False),
    ]

    def __init__(self, fmt: str = "toml") -> None:
        super().__init__()
        self.fmt = fmt
        self._canvas: Canvas | None = None

    @property
    def canvas_app(self) -> CanvasApp:
        return self.app  # type: ignore[return-value]  # Screen.app is typed App[Any]; this screen only runs in CanvasApp

    @property
    def base(self) -> Path:
        return self.canvas_app.workspace or Path.cwd()

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Export your canvas"
            yield Label("Format")
            with RadioSet(id="formats"):
                for fmt in export.FORMATS:
                    yield RadioButton(
                        Content(FORMAT_LABELS.get(fmt, fmt)), value=fmt == self.fmt, id=f"fmt-{fmt}"
                    )
            yield Checkbox(
                "Canvas only (HTML): one landscape page to print",
                id="canvas-only",
                disabled=self.fmt != "html",
            )
            yield Label("File")
            yield TextInput(id="path")
            yield Static(id="where")
            yield Static(id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export  ^s", id="export", variant="primary")

    def on_mount(self) -> None:
        bench = self.canvas_app.bench
        assert bench is not None
        self._canvas = bench.canvas()
        path_input = self.query_one("#path", Input)
        path_input.value = default_filename(self._canvas, self.fmt)
        path_input.cursor_position = len(path_input.value)
        self._show_where()
        path_input.focus()

    def action_formats(self) -> None:
        self.query_one("#formats", RadioSet).focus()

    def _show_where(self) -> None:
        """The hint under the name: the full path the file will really be written to."""
        text = self.query_one("#path", Input).value
        where = self.query_one("#where", Static)
        note = (
            " (inside the workshop folder only)"
            if self.canvas_app.workspace
            else " — type another name or path to change it"
        )
        try:
            target = resolve_target(text or ".", self.base, self.canvas_app.workspace)
        except CanvasTuiError:
            target = None
        if target is None or not text.strip():
            where.update(Content.assemble(("Saved in ", ""), (str(self.base), "bold"), note))
            return
        where.update(Content.assemble(("Writes ", ""), (str(target), "bold"), note))

    @on(Input.Changed, "#path")
    def _name_changed(self, event: Input.Changed) -> None:
        """A typed extension chooses the format (bike.md → Markdown)."""
        self._show_where()
        wanted = format_of_name(event.value)
        if wanted is not None and wanted != self.fmt:
            self.fmt = wanted
            self.query_one("#canvas-only", Checkbox).disabled = wanted != "html"
            button = self.query_one(f"#fmt-{wanted}", RadioButton)
            with self.prevent(RadioSet.Changed):
                button.value = True

    @on(RadioSet.Changed, "#formats")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = (event.pressed.id or "fmt-toml").removeprefix("fmt-")
        old, self.fmt = self.fmt, new
        self.query_one("#canvas-only", Checkbox).disabled = new != "html"
        path_input = self.query_one("#path", Input)
        value = path_input.value.strip()
        old_ext, new_ext = export.EXTENSIONS[old], export.EXTENSIONS[new]
        if self._canvas is not None and value == default_filename(self._canvas, old):
            path_input.value = default_filename(self._canvas, new)
        elif value.lower().endswith(old_ext):
            path_input.value = value[: -len(old_ext)] + new_ext
        self._fail("")

    def _fail(self, message: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Content(message))
        error.set_class(bool(message), "-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        # Ctrl+S is a priority key: let the path field take the keys typed before it.
        self.query_one("#path", Input).call_later(self._export_now)

    def _export_now(self) -> None:
        text = self.query_one("#path", Input).value
        if not text.strip():
            self._fail("Give the file a name.")
            return
        try:
            target = resolve_target(text, self.base, self.canvas_app.workspace)
        except CanvasTuiError as exc:
            self._fail(str(exc))
            return
        if target.exists():

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._write(target)

            self.app.push_screen(
                ConfirmDialog(
                    "Replace the file?",
                    Content.assemble(
                        (str(target), "bold"), "\nalready exists. Replace it with this export?"
                    ),
                    yes="Replace",
                    no="Keep it",
                ),
                confirmed,
            )
            return
        self._write(target)

    @work(group="export", exclusive=True)
    async def _write(self, target: Path) -> None:
        app = self.canvas_app
        bench = app.bench
        assert bench is not None and self._canvas is not None
        fmt = format_of_name(target.name) or self.fmt  # the name's extension wins
        canvas_only = fmt == "html" and self.query_one("#canvas-only", Checkbox).value
        try:
            written = await app.core(
                partial(bench.export, canvas_only=canvas_only), self._canvas, fmt, target
            )
        except CanvasTuiError as exc:
            self._fail(str(exc))
            return
        if app.is_web:
            app.deliver_text(written, save_filename=written.name)
        self.dismiss(written)
