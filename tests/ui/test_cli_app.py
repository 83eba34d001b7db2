"""The CLI starts the app through `run_app` → `make_app`: flags reach the app, bad input
files are one-line errors (exit 2) before anything is drawn."""

from __future__ import annotations

import pytest

from canvas_tui.cli import main
from canvas_tui.ui.app import CanvasApp


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[CanvasApp]:
    apps: list[CanvasApp] = []
    monkeypatch.setattr(CanvasApp, "run", lambda self, *a, **k: apps.append(self))
    return apps


def test_plain_resume_and_open(started, tmp_path, bank):
    from canvas_tui.core.canvas.build import build_canvas
    from canvas_tui.core.exports.render import render
    from canvas_tui.core.inference.infer import Inference
    from canvas_tui.core.interview.session import Decisions

    canvas = build_canvas(
        title="Acme",
        created="2026-03-02T09:00:00Z",
        bank=bank,
        answers={"value_proposition.offer": "Tutoring"},
        inference=Inference(),
        decisions=Decisions(),
    )
    file = tmp_path / "acme.toml"
    file.write_text(render(canvas, "toml"), encoding="utf-8")
    assert main([]) == 0
    assert main(["--resume"]) == 0
    assert main(["open", str(file)]) == 0
    plain, resume, opened = started
    assert not plain.config.resume and plain.config.canvas_file is None
    assert resume.config.resume
    assert opened.config.canvas_file == file


def test_bad_files_are_one_line_errors_before_the_app_starts(started, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[meta\n", encoding="utf-8")
    assert main(["open", str(bad)]) == 2
    assert main(["open", str(tmp_path / "missing.toml")]) == 2
    assert main(["--bank", str(tmp_path / "no-bank")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("canvas-tui: ") for line in err)
    assert started == []


def test_workshop_and_workspace_reach_the_app(started, tmp_path):
    assert main(["--workshop", "--workspace", str(tmp_path / "room")]) == 0
    [app] = started
    assert app.workshop and app.has_class("-workshop")
    assert app.workspace == (tmp_path / "room").resolve()
    assert app.store.root == tmp_path / "room"
