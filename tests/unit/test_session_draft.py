"""The founder's draft kept in a session (issue 16): saved and read back, absent from a
session without one, validated on load like every other field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from canvas_tui.core.draft.parse import parse_draft
from canvas_tui.core.errors import SessionError
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.workbench import draft_of_record, draft_record

DRAFT = """\
# Canvas

## Key Activities
- Production: roasting coffee
- Customer support

## Channels
- Farmers' markets
"""


def test_a_draft_round_trips_through_the_session_file(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    session = Session(id="s-coffee", title="Coffee")
    draft = parse_draft(DRAFT, source="canvas.md")
    session.activity_draft = draft_record(draft)
    store.save(session)
    loaded = store.load("s-coffee")
    assert loaded.activity_draft == session.activity_draft
    again = draft_of_record(loaded.activity_draft)  # type: ignore[arg-type]
    assert again.lines == draft.lines
    assert dict(again.blocks) == dict(draft.blocks) == {"channels": ("Farmers' markets",)}
    assert again.source == "canvas.md" and again.form == draft.form
    assert again.lines[0].label == "production"


def test_a_session_without_a_draft_is_written_as_before(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.save(Session(id="s-plain", title="Plain"))
    data = json.loads((store.folder / "s-plain.json").read_text(encoding="utf-8"))
    assert "activity_draft" not in data
    assert store.load("s-plain").activity_draft is None
    data["activity_draft"] = None  # written by hand: the same
    assert Session.from_dict(data).activity_draft is None


def good() -> dict:
    session = Session(id="s-x", title="X")
    session.activity_draft = draft_record(parse_draft("- Roasting\n- Support\n"))
    return session.to_dict()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(activity_draft=["Roasting"]), "must be an object"),
        (lambda d: d["activity_draft"].update(items=[]), "1 to 100 items"),
        (lambda d: d["activity_draft"].update(items=[{"text": "x"}] * 101), "1 to 100 items"),
        (lambda d: d["activity_draft"]["items"][0].update(text=""), "non-empty string"),
        (lambda d: d["activity_draft"]["items"][0].update(text=7), "non-empty string"),
        (lambda d: d["activity_draft"]["items"][0].update(line=-1), "'line'"),
        (lambda d: d["activity_draft"]["items"][0].update(line="3"), "'line'"),
        (lambda d: d["activity_draft"]["items"][0].update(label="magic"), "unknown label"),
        (lambda d: d["activity_draft"]["items"][0].update(colour="red"), "malformed"),
        (lambda d: d["activity_draft"].update(blocks={"nowhere": ["a"]}), "unknown block"),
        (lambda d: d["activity_draft"].update(blocks={"channels": "a"}), "list of strings"),
        (lambda d: d["activity_draft"].update(source=None), "'source'"),
    ],
)
def test_a_broken_draft_is_a_clear_session_error(change, words) -> None:
    data = good()
    change(data)
    with pytest.raises(SessionError) as caught:
        Session.from_dict(data, file="s-x.json")
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_broken_draft_sets_the_session_aside(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    data = good()
    data["activity_draft"]["items"][0]["label"] = "magic"
    store.folder.mkdir(parents=True)
    (store.folder / "s-x.json").write_text(json.dumps(data), encoding="utf-8")
    assert store.sessions() == []
    assert "unknown label" in str(store.problems[0])
    assert list(store.corrupt_folder.glob("s-x.*.json"))
