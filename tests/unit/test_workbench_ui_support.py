"""Core support for the terminal UI: drafts (typed, not sent) survive quitting."""

from __future__ import annotations

import json

from canvas_tui.core.interview.bank_loader import load_bank_catalogue
from canvas_tui.core.interview.session import Session, SessionStore
from canvas_tui.core.workbench import Workbench


def test_drafts_are_saved_restored_and_cleared_by_the_answer(bank, home):
    store = SessionStore(home)
    bench = Workbench(store.new("Bakery"), bank, load_bank_catalogue(bank), store)
    qid = bench.current.id
    bench.set_draft(qid, "We bake sourdough and")
    reopened = Workbench(store.load(bench.session.id), bank, bench.catalogue, store)
    assert reopened.draft_of(qid) == "We bake sourdough and"
    reopened.submit("We bake sourdough and sell it")
    assert reopened.draft_of(qid) == ""
    assert store.load(bench.session.id).drafts == {}


def test_an_empty_draft_removes_it_and_unchanged_drafts_are_not_resaved(bank, home):
    store = SessionStore(home)
    bench = Workbench(store.new("Bakery"), bank, load_bank_catalogue(bank), store)
    bench.set_draft("value_proposition.offer", "x")
    path = store.path(bench.session.id)
    before = path.stat().st_mtime_ns
    bench.set_draft("value_proposition.offer", "x")
    assert path.stat().st_mtime_ns == before
    bench.set_draft("value_proposition.offer", "  ")
    assert store.load(bench.session.id).drafts == {}


def test_sessions_without_drafts_still_load():
    data = Session(id="s", title="t").to_dict()
    del data["drafts"]
    assert Session.from_dict(json.loads(json.dumps(data))).drafts == {}


def test_adding_to_a_full_top_three_replaces_the_third(bank, home):
    from canvas_tui.core.inference.infer import Candidate, Inference

    def infer(answers, catalogue, *, sections=None):
        ids = ["a", "b", "c", "d"]
        return Inference(
            tuple(
                Candidate(i, i.upper(), "production", 0.9 - n / 10, priority=n + 1 if n < 3 else 0)
                for n, i in enumerate(ids)
            )
        )

    store = SessionStore(home)
    bench = Workbench(store.new("Focus"), bank, None, store, infer_fn=infer)
    assert [a.id for a in bench.canvas().focus] == ["a", "b", "c"]
    bench.toggle_focus("d")
    assert [a.id for a in bench.canvas().focus] == ["a", "b", "d"]
    bench.toggle_focus("a")
    assert [a.id for a in bench.canvas().focus] == ["b", "d"]


def test_submit_can_leave_the_save_to_the_caller(bank, home):
    store = SessionStore(home)
    bench = Workbench(store.new("Bakery"), bank, load_bank_catalogue(bank), store)
    bench.submit("We bake sourdough", save=False)
    assert store.load(bench.session.id).answers == {}
    bench.save()
    assert store.load(bench.session.id).answers == {"value_proposition.offer": "We bake sourdough"}
