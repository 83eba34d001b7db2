"""Issue 12, two writers on one session: a lock per session, copied files whose inner id
differs from their name, failed saves that keep the answer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from canvas_tui.cli import main
from canvas_tui.core.errors import OutputError
from canvas_tui.core.interview.session import SessionBusy, SessionStore
from canvas_tui.core.workbench import Workbench

HOLDER = textwrap.dedent(
    """
    import sys
    from canvas_tui.core.interview.session import SessionStore
    store = SessionStore(sys.argv[1])
    store.open(sys.argv[2])
    print("locked", flush=True)
    sys.stdin.readline()
    """
)


@pytest.fixture
def holder(home):
    """Another process holding a session open, as a second app would."""
    procs = []

    def hold(session_id: str) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(home), session_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "locked"
        procs.append(proc)
        return proc

    yield hold
    for proc in procs:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rename_while_open_elsewhere_is_refused_not_undone_later(capsys, home, holder):
    store = SessionStore()
    session = store.new("Acme")
    holder(session.id)
    code, _, err = cli(capsys, "sessions", "rename", session.id, "Acme v2")
    assert code == 2 and "open in another canvas-tui" in err and "pid" in err
    assert store.load(session.id).title == "Acme"


def test_delete_while_open_elsewhere_is_refused(capsys, home, holder):
    store = SessionStore()
    session = store.new("Acme")
    holder(session.id)
    code, _, err = cli(capsys, "sessions", "delete", session.id, "--yes")
    assert code == 2 and "open in another canvas-tui" in err
    assert store.path(session.id).exists()


def test_a_save_while_another_process_has_the_session_open_is_refused(home, holder):
    store = SessionStore()
    session = store.new("Acme")
    holder(session.id)
    session.answers["revenue.model"] = "fees"
    with pytest.raises(SessionBusy):
        store.save(session)
    assert store.load(session.id).answers == {}


def test_a_second_workbench_in_another_process_is_read_only(home, holder, bank):
    store = SessionStore()
    session = store.new("Acme")
    holder(session.id)
    bench = Workbench(store.load(session.id), bank, None, store, infer_fn=_no_inference)
    assert bench.read_only and "open in another canvas-tui" in bench.read_only
    bench.session.answers["value_proposition.offer"] = "We bake"
    assert bench.save() is False and bench.save_problem.startswith("read-only")
    assert bench.session.answers["value_proposition.offer"] == "We bake"  # kept in memory
    assert store.load(session.id).answers == {}


def test_the_lock_is_given_back_when_the_canvas_closes(home, bank):
    from canvas_tui.core.interview import session_lock

    store = SessionStore()
    session = store.new("Acme")
    bench = Workbench(session, bank, None, store, infer_fn=_no_inference)
    assert session_lock.held(store.path(session.id))
    bench.close()
    assert not session_lock.held(store.path(session.id))
    # and then another process may write it
    result = subprocess.run(
        [sys.executable, "-c", HOLDER, str(home), session.id],
        input="\n",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout.strip() == "locked"


def test_rename_after_the_app_closed_is_kept(capsys, home, bank):
    store = SessionStore()
    session = store.new("Acme")
    bench = Workbench(session, bank, None, store, infer_fn=_no_inference)
    bench.close()
    assert cli(capsys, "sessions", "rename", session.id, "Acme v2")[0] == 0
    assert store.load(session.id).title == "Acme v2"


def test_a_failed_save_keeps_the_answer_and_says_why(home, bank, monkeypatch):
    store = SessionStore()
    session = store.new("Acme")
    bench = Workbench(session, bank, None, store, infer_fn=_no_inference)

    def full(self, s):
        raise OutputError("cannot write: No space left on device", file="x")

    monkeypatch.setattr(SessionStore, "save", full)
    bench.submit("We bake bread")
    assert bench.save_problem == "cannot write: No space left on device"
    assert bench.session.answers["value_proposition.offer"] == "We bake bread"
    monkeypatch.undo()
    assert bench.save() is True and bench.save_problem is None
    assert store.load(session.id).answers["value_proposition.offer"] == "We bake bread"


# --------------------------------------------------------------------------- copied files


def _copy(store: SessionStore, session_id: str, new_id: str) -> None:
    shutil.copy(store.path(session_id), store.folder / f"{new_id}.json")


def test_a_copied_session_file_is_its_own_session_named_by_its_file(home):
    store = SessionStore()
    session = store.new("Acme")
    _copy(store, session.id, "S-backup")
    listed = store.sessions()
    assert sorted(s.id for s in listed) == sorted([session.id, "S-backup"])
    assert any("the file name is the id" in p.message for p in store.problems)


def test_rename_of_a_copy_writes_the_copy_never_the_original(capsys, home):
    store = SessionStore()
    session = store.new("Acme")
    _copy(store, session.id, "S-backup")
    code, _, err = cli(capsys, "sessions", "rename", "S-backup", "Backup")
    assert code == 0, err
    assert store.load(session.id).title == "Acme"
    assert json.loads((store.folder / "S-backup.json").read_text())["id"] == "S-backup"
    assert store.load("S-backup").title == "Backup"


def test_the_app_starts_with_a_copied_session_file(home):
    """The DuplicateID crash: two sessions with one id in the welcome list."""
    import asyncio

    from canvas_tui.ui.app import AppConfig, make_app

    store = SessionStore()
    session = store.new("Acme")
    _copy(store, session.id, "S-backup")

    async def run() -> list[str]:
        app = make_app(AppConfig(store=store))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            from textual.widgets import OptionList  # noqa: TID251 - a Pilot check of the app

            listed = app.screen.query_one("#sessions", OptionList)
            return [listed.get_option_at_index(i).id for i in range(listed.option_count)]

    ids = asyncio.run(run())
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_file_whose_name_is_no_session_id_is_skipped_and_reported(home):
    store = SessionStore()
    session = store.new("Acme")
    shutil.copy(store.path(session.id), store.folder / "my backup.json")
    assert [s.id for s in store.sessions()] == [session.id]
    assert any("not a session id" in p.message for p in store.problems)


def _no_inference(answers, catalogue, *, sections=None):
    from tests.fakes import fake_infer

    return fake_infer(answers, catalogue, sections=sections)
