"""What the canvas screens share: the open workbench and serialised changes to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from canvas_tui.core.errors import CanvasTuiError
from canvas_tui.core.workbench import Workbench

if TYPE_CHECKING:
    from canvas_tui.ui.app import CanvasApp


class BenchScreen(Screen[None]):
    """A screen showing the open canvas. `refresh_view` redraws it from the workbench."""

    @property
    def canvas_app(self) -> CanvasApp:
        return self.app  # type: ignore[return-value]  # Screen.app is typed App[Any]; this screen only runs in CanvasApp

    @property
    def bench(self) -> Workbench:
        bench = self.canvas_app.bench
        assert bench is not None, "a canvas screen without an open canvas"
        return bench

    _binding_state: object = None

    def binding_state(self) -> object:
        """What the enabled key bindings depend on (see `update_bindings`)."""
        return None

    def update_bindings(self) -> None:
        """Refresh the footer only when the enabled bindings changed: the footer rebuilds
        all its keys on every refresh, which costs a full layout."""
        state = self.binding_state()
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    async def refresh_view(self) -> None:  # pragma: no cover - overridden
        """Redraw everything from the workbench."""

    async def on_screen_resume(self) -> None:
        await self.refresh_view()

    def change(
        self, fn: Callable[..., Any], *args: Any, then: Callable[[], Any] | None = None
    ) -> None:
        """Apply a change to the workbench in the background, then redraw."""
        self._change(fn, args, then)

    @work(group="core")
    async def _change(
        self, fn: Callable[..., Any], args: tuple[Any, ...], then: Callable[[], Any] | None
    ) -> None:
        try:
            await self.canvas_app.core(fn, *args)
        except (CanvasTuiError, ValueError) as exc:
            self.notify(str(exc), title="That did not work", severity="error", markup=False)
        await self.refresh_view()
        if then is not None:
            then()
