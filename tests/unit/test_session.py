"""Sessions never lose an answer: atomic saves, listing, resume, corrupt files set aside."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from canvas_tui.core.errors import SessionError
from canvas_tui.core.interview.session import (
    CustomActivity,
    Decisions,
    Session,
    SessionStore,
    data_home,
)


def test_data_home_follows_the_environment(home):
    assert data_home() == home
    assert SessionStore().root == home


def test_new_session_is_saved_at_once(home):
    store = SessionStore()
    session = store.new("Acme Bakery")
    path = home / "sessions" / f"{session.id}.json"
    assert path.is_file()
    assert "acme-bakery" in session.id
    assert json.loads(path.read_text())["title"] == "Acme Bakery"


def test_round_trip_keeps_everything(home):
    store = SessionStore()
    session = store.new("Ünïcode café ☕ [bold]x[/]")
    session.answers["value_proposition.offer"] = "We bake\nsourdough <b>|</b> {{ x }}"
    session.skipped = ["value_proposition.promise"]
    session.probes = {"value_proposition.offer": "Tell me more"}
    session.editing = "value_proposition.offer"
    session.notes["channels.reach"] = "Ask about wholesale"
    session.assumptions = ["channels.reach"]
    session.decisions.decision("manufacturing").status = "accepted"
    session.decisions.focus = ["manufacturing"]
    session.decisions.custom.append(CustomActivity(id="custom-x", name="X"))
    session.decisions.blocks["key_partners"] = ["Mill"]
    session.timers["value_proposition"] = 93.5
    session.time_added["value_proposition"] = 120.0
    store.save(session)
    loaded = store.load(session.id)
    assert loaded == session


def test_focus_none_and_empty_are_different(home):
    store = SessionStore()
    session = store.new("x")
    assert store.load(session.id).decisions.focus is None
    session.decisions.focus = []
    store.save(session)
    assert store.load(session.id).decisions.focus == []


def test_unknown_keys_from_a_newer_version_survive(home):
    store = SessionStore()
    session = store.new("x")
    path = store.path(session.id)
    data = json.loads(path.read_text())
    data["future_feature"] = {"a": 1}
    path.write_text(json.dumps(data))
    loaded = store.load(session.id)
    store.save(loaded)
    assert json.loads(path.read_text())["future_feature"] == {"a": 1}


def test_sessions_are_listed_newest_change_first(home):
    store = SessionStore()
    first = store.new("First")
    store.new("Second")
    first.answers["value_proposition.offer"] = "changed"
    store.save(first)  # saved last: changed most recently
    summaries = store.summaries()
    assert [s.title for s in summaries] == ["First", "Second"]
    assert summaries[0].answered == 1


def test_latest_unfinished_skips_finished_ones(home):
    store = SessionStore()
    unfinished = store.new("Open")
    done = store.new("Done")
    done.finished = True
    store.save(done)
    assert store.latest_unfinished().id == unfinished.id


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"format": "other/9", "id": "x", "title": "t"}',
        '{"format": "canvas-tui-session/1"}',
        b"\xff\xfe\x00bad",
    ],
)
def test_corrupt_session_is_set_aside_and_reported(home, content):
    store = SessionStore()
    good = store.new("Good")
    bad = home / "sessions" / "broken.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content)
    sessions = store.sessions()
    assert [s.id for s in sessions] == [good.id]
    assert not bad.exists()
    aside = list((home / "sessions" / "corrupt").iterdir())
    assert len(aside) == 1 and aside[0].name.startswith("broken.")
    assert aside[0].read_bytes() == (content if isinstance(content, bytes) else content.encode())
    assert len(store.problems) == 1 and "set aside" in store.problems[0].message


def test_loading_a_corrupt_session_raises_a_clear_error(home):
    store = SessionStore()
    (home / "sessions").mkdir(parents=True)
    (home / "sessions" / "x.json").write_text("{")
    with pytest.raises(SessionError, match="not valid JSON"):
        store.load("x")
    assert (home / "sessions" / "corrupt").is_dir()


def test_missing_session_and_bad_ids(home):
    store = SessionStore()
    with pytest.raises(SessionError, match="no saved session"):
        store.load("nope")
    with pytest.raises(SessionError, match="not a session id"):
        store.load("../etc/passwd")


def test_rename_duplicate_delete(home):
    store = SessionStore()
    session = store.new("Plan A")
    session.answers["value_proposition.offer"] = "bikes"
    store.save(session)
    store.rename(session.id, "Plan A (bikes)")
    copy = store.duplicate(session.id)
    assert copy.id != session.id and copy.title == "Plan A (bikes) (copy)"
    assert copy.answers == {"value_proposition.offer": "bikes"}
    store.delete(session.id)
    assert [s.id for s in store.sessions()] == [copy.id]


def test_session_and_custom_ids_are_slugs_of_the_title(home):
    store = SessionStore()
    assert store.new("Café Crème & Co.!").id.endswith("-cafe-creme-co")
    assert store.new("☕☕").id.endswith("-canvas")
    tokyo = store.new("東京カフェ")  # letters of any script make a valid, loadable id
    assert tokyo.id.endswith("-東京カフェ") and store.load(tokyo.id).title == "東京カフェ"
    decisions = Decisions()
    assert decisions.new_custom_id("Crème brûlée tasting") == "custom-creme-brulee-tasting"
    assert decisions.new_custom_id("☕") == "custom-activity"


def test_from_dict_rejects_bad_status():
    data = Session(id="a", title="t").to_dict()
    data["decisions"]["activities"] = {"x": {"status": "maybe"}}
    with pytest.raises(SessionError, match="unknown status"):
        Session.from_dict(data)


WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from canvas_tui.core import fsutil
    from canvas_tui.core.interview.session import SessionStore
    root, kill_at = sys.argv[1], int(sys.argv[2])
    store = SessionStore(root)
    session = store.new("Crash test")
    big = "x" * 200_000
    saves = 0

    def die_inside_the_save(target):
        # the temporary file is complete and synced, the rename not done: die here
        if saves == kill_at:
            Path(root, "hook-hit").write_text(str(saves))
            os.kill(os.getpid(), signal.SIGKILL)

    fsutil.BEFORE_REPLACE = die_inside_the_save
    print(session.id, flush=True)
    while True:
        saves += 1
        session.answers["value_proposition.offer"] = f"{saves}:" + big
        session.answers["channels.reach"] = f"{saves}"
        store.save(session)
    """
)


@pytest.mark.parametrize("kill_at", [1, 4])
def test_killing_a_writer_mid_save_leaves_the_last_complete_session(tmp_path, kill_at):
    """SIGKILL a process inside its Nth save (a hook in the atomic write, no timing): the
    file on disk is whole and holds save N-1."""
    root = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(kill_at)],
        stdout=subprocess.PIPE,
        text=True,
    )
    session_id = proc.stdout.readline().strip()
    proc.wait(timeout=60)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert (root / "hook-hit").read_text() == str(kill_at)  # died inside save N
    store = SessionStore(root)
    session = store.load(session_id)  # would raise if the file were torn
    last = kill_at - 1
    if last == 0:  # the first answer save died: the file is the new, empty session
        assert session.answers == {}
    else:
        assert session.answers["channels.reach"] == str(last)
        assert session.answers["value_proposition.offer"] == f"{last}:" + "x" * 200_000
    assert store.problems == []
    leftovers = list((root / "sessions").glob(".*.tmp"))
    assert len(leftovers) == 1  # the killed save's temporary; swept later (see below)


def test_stale_temporaries_of_a_killed_save_are_swept(home):
    store = SessionStore()
    session = store.new("x")
    stale = home / "sessions" / f".{session.id}.json.abc123.tmp"
    fresh = home / "sessions" / f".{session.id}.json.def456.tmp"
    stale.write_text("half")
    fresh.write_text("in progress")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert [s.id for s in store.sessions()] == [session.id]
    assert not stale.exists() and fresh.exists()
