"""`canvas-tui sessions`: list, rename, delete, duplicate, export; corrupt files never crash."""

from __future__ import annotations

import io
import json
import tomllib

import pytest

from canvas_tui.cli import main
from canvas_tui.core.interview.session import CustomActivity, SessionStore
from tests.conftest import write


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def make(store: SessionStore, title: str, answers: dict[str, str] | None = None, **kw):
    session = store.new(title, **kw)
    session.answers.update(answers or {})
    session.decisions.custom.append(CustomActivity(id="custom-roasting", name="Roasting"))
    store.save(session)
    return session


@pytest.fixture
def store(home) -> SessionStore:
    return SessionStore(home)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_empty_list(capsys, home):
    code, out, err = run(capsys, "sessions")
    assert code == 0 and out == ""
    assert err.strip() == f"canvas-tui: no saved sessions in {home / 'sessions'}"
    code, out, _ = run(capsys, "sessions", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["sessions"] == [] and data["format"] == "canvas-tui-sessions/1"


def test_list_text_and_json(capsys, store):
    first = make(store, "Acme Tutors", {"value_proposition.offer": "Maths tutoring"})
    second = make(store, "Bike shop")
    second.finished = True
    store.save(second)
    code, out, err = run(capsys, "sessions")
    assert code == 0 and err == ""
    header, *lines = out.splitlines()
    assert header.split() == ["ID", "TITLE", "BANK", "PROGRESS", "LAST", "CHANGE"]
    assert lines[0].startswith(second.id) and "finished" in lines[0]  # most recent first
    assert lines[1].startswith(first.id) and "Acme Tutors" in lines[1] and "default" in lines[1]
    assert "1/" in lines[1]
    code, out, _ = run(capsys, "sessions", "list", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["sessions"]}
    assert rows[first.id]["answered"] == 1 and rows[first.id]["questions"] >= 4
    assert rows[first.id]["settled"] == 1
    assert rows[first.id]["progress"] == f"1/{rows[first.id]['questions']}"
    assert rows[second.id]["finished"] is True
    assert set(rows[first.id]) >= {"title", "bank", "updated", "created", "file"}


def test_home_option_before_or_after_the_action(capsys, tmp_path):
    workshop = tmp_path / "workshop"
    make(SessionStore(workshop), "Room session")
    for argv in (
        ["sessions", "--home", workshop],
        ["sessions", "list", "--home", workshop],
        ["sessions", "--home", workshop, "list"],
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and "Room session" in out, argv
    code, out, _ = run(capsys, "sessions")  # $CANVAS_TUI_HOME: another folder
    assert "Room session" not in out


def test_corrupt_session_is_reported_not_fatal(capsys, store, home):
    good = make(store, "Good one")
    write(home / "sessions" / "broken.json", "{not json")
    write(home / "sessions" / "alien.json", json.dumps({"format": "something-else/9"}))
    code, out, err = run(capsys, "sessions")
    assert code == 0 and good.id in out
    warnings = [line for line in err.splitlines() if "warning:" in line]
    assert len(warnings) == 2 and all("set aside" in w for w in warnings)
    assert len(list((home / "sessions" / "corrupt").iterdir())) == 2
    code, out, err = run(capsys, "sessions", "--format", "json")
    assert code == 0 and err == "" and json.loads(out)["problems"] == []  # already set aside


def test_corrupt_problems_in_json(capsys, store, home):
    write(home / "sessions" / "broken.json", "{not json")
    code, out, _ = run(capsys, "sessions", "--format", "json")
    assert code == 0 and "broken.json" in json.loads(out)["problems"][0]


def test_a_session_whose_bank_is_gone_is_still_listed(capsys, store, tmp_path):
    make(store, "Lost bank", {"value_proposition.offer": "x"}, bank=str(tmp_path / "gone"))
    code, out, err = run(capsys, "sessions")
    assert code == 0 and "1 answered" in out
    assert "question bank folder does not exist" in err


def test_rename(capsys, store):
    session = make(store, "Old")
    code, _, err = run(capsys, "sessions", "rename", session.id, "New title")
    assert code == 0 and f"renamed {session.id}: 'Old' -> 'New title'" in err
    assert store.load(session.id).title == "New title"
    code, _, err = run(capsys, "sessions", "rename", session.id, "  ")
    assert code == 2 and "the new title is empty" in err


def test_unique_prefix_and_errors(capsys, store):
    a = make(store, "Alpha")
    b = make(store, "Beta")
    prefix = a.id[: a.id.index("alpha")]  # the timestamp both share, unless a second passed
    code, _, _ = run(capsys, "sessions", "rename", a.id[: len(prefix) + 2], "Alpha 2")
    assert code == 0 and store.load(a.id).title == "Alpha 2"
    if b.id.startswith(prefix):
        code, _, err = run(capsys, "sessions", "rename", prefix, "x")
        assert code == 2 and "matches 2 sessions" in err
    code, _, err = run(capsys, "sessions", "rename", "nope", "x")
    assert code == 2 and "no saved session 'nope'" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "sessions", "rename", "../etc", "x")
    assert code == 2 and "is not a session id" in err


def test_delete_with_yes(capsys, store):
    session = make(store, "Doomed")
    code, _, err = run(capsys, "sessions", "delete", session.id, "--yes")
    assert code == 0 and "deleted session" in err
    assert not store.path(session.id).exists()
    code, _, err = run(capsys, "sessions", "delete", session.id, "--yes")
    assert code == 2 and "no saved session" in err


def test_delete_refuses_without_a_terminal(capsys, store, monkeypatch):
    session = make(store, "Kept")
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a terminal
    code, out, err = run(capsys, "sessions", "delete", session.id)
    assert code == 2 and out == ""
    assert "not deleting session" in err and "--yes" in err
    assert store.path(session.id).exists()


@pytest.mark.parametrize(
    ("reply", "deleted"), [("y\n", True), ("yes\n", True), ("n\n", False), ("", False)]
)
def test_delete_asks_on_a_terminal(capsys, store, monkeypatch, reply, deleted):
    session = make(store, "Maybe")
    monkeypatch.setattr("sys.stdin", _Terminal(reply))
    code, _, err = run(capsys, "sessions", "delete", session.id)
    assert code == 0
    assert "Delete session 'Maybe'" in err and "[y/N]" in err
    assert store.path(session.id).exists() is not deleted
    if not deleted:
        assert "nothing deleted" in err


def test_duplicate(capsys, store):
    session = make(store, "Plan A", {"value_proposition.offer": "Coffee"})
    code, out, err = run(capsys, "sessions", "duplicate", session.id)
    new_id = out.strip()
    assert code == 0 and new_id != session.id and "\n" not in new_id
    assert f"duplicated {session.id} as 'Plan A (copy)'" in err
    copy = store.load(new_id)
    assert copy.title == "Plan A (copy)" and copy.answers == session.answers
    code, out, _ = run(capsys, "sessions", "duplicate", session.id, "--title", "Plan B")
    assert store.load(out.strip()).title == "Plan B"


def test_export_formats(capsys, store, tmp_path):
    session = make(store, "Export me", {"value_proposition.offer": "We roast coffee"})
    code, out, err = run(capsys, "sessions", "export", session.id, "--format", "toml")
    assert code == 0
    data = tomllib.loads(out)
    assert data["schema"] == "canvas-tui/1" and data["meta"]["title"] == "Export me"
    assert data["answers"] == {"value_proposition.offer": "We roast coffee"}
    assert "custom-roasting" in [a["id"] for a in data["key_activities"]]  # + any inferred
    assert "is not finished" in err  # exporting an unfinished session says so
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "sessions", "export", session.id, "-o", target)
    assert (
        code == 0 and out == "" and json.loads(target.read_text())["meta"]["title"] == "Export me"
    )
    before = store.path(session.id).read_bytes()
    run(capsys, "sessions", "export", session.id, "--format", "json")
    assert store.path(session.id).read_bytes() == before  # exporting never saves


def test_export_a_session_whose_bank_is_gone(capsys, store, tmp_path):
    session = make(store, "Lost", bank=str(tmp_path / "gone"))
    code, out, err = run(capsys, "sessions", "export", session.id, "--format", "json")
    assert code == 2 and out == "" and "question bank folder does not exist" in err


def test_export_refuses_the_listing_format(capsys, store):
    session = make(store, "x")
    code, out, err = run(capsys, "sessions", "--format", "text", "export", session.id)
    assert code == 2 and out == "" and "cannot be exported as text" in err


def test_export_lists_facilitator_notes_and_assumptions(capsys, store):
    """Workshop notes and assumption flags saved in a session reach every export format;
    a note is never an answer, and a flag on an unanswered question is left out."""
    session = make(
        store,
        "Workshop",
        {"value_proposition.offer": "We roast coffee", "channels.reach": "A [bold]shop[/]"},
    )
    session.notes = {"value_proposition.customers": "Group unsure <b>who</b> pays"}
    session.assumptions = ["channels.reach", "revenue.model"]  # revenue.model: no answer
    session.timers = {"value_proposition": 300.0}
    store.save(session)
    code, out, _ = run(capsys, "sessions", "export", session.id, "--format", "toml")
    data = tomllib.loads(out)
    assert code == 0
    assert data["notes"] == {"value_proposition.customers": "Group unsure <b>who</b> pays"}
    assert "value_proposition.customers" not in data["answers"]
    assert data["assumptions"] == ["channels.reach"]
    _, out, _ = run(capsys, "sessions", "export", session.id, "--format", "json")
    data = json.loads(out)
    assert data["assumptions"] == ["channels.reach"] and data["notes"]
    _, md, _ = run(capsys, "sessions", "export", session.id, "--format", "md")
    assumptions = md.split("## Assumptions to validate", 1)[1].split("\n## ", 1)[0]
    assert "A \\[bold\\]shop\\[/\\]" in assumptions  # Markdown-escaped, literally
    assert "We roast coffee" not in assumptions
    assert "## Facilitator notes" in md and "Group unsure" in md
    _, html, _ = run(capsys, "sessions", "export", session.id, "--format", "html")
    assert "Assumptions to validate" in html and "Facilitator notes" in html
    assert "&lt;b&gt;who&lt;/b&gt;" in html and "<b>who</b>" not in html
