"""The facilitator's view (`canvas-tui room DIR`): the cost of one refresh of a room of 20.

Makes 20 participants' sessions in a temporary workshop folder, then times
`RoomReader.read()` (core/room/overview.py: every session read, each changed session's
canvas inferred again, everything merged): the first read (the bank and catalogue
loaded, 20 inferences), a read with nothing changed, and a read after one participant
answered. Prints medians; never asserts.

    python benchmarks/room_view.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from canvas_tui.core.interview.bank_loader import load_default_bank
from canvas_tui.core.interview.session import SessionStore
from canvas_tui.core.room.overview import RoomReader

TEXTS = [
    "We roast coffee beans and sell them to cafes",
    "Cafe owners and offices",
    "Fresh and fast",
    "We roast daily in our own roastery",
    "Instagram and a delivery app",
    "Monthly subscription per cafe",
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = SessionStore(folder)
        questions = [q.id for s in load_default_bank().sets for q in s.questions]
        sessions = []
        for i in range(20):
            session = store.new(f"P{i:02d}")
            session.answers.update(zip(questions, TEXTS, strict=False))
            store.save(session)
            sessions.append(session)
        reader = RoomReader(folder)
        start = time.perf_counter()
        reader.read()
        first = time.perf_counter() - start
        idle, one = [], []
        for k in range(9):
            start = time.perf_counter()
            reader.read()
            idle.append(time.perf_counter() - start)
            session = sessions[k]
            session.answers[questions[6]] = f"Walk-in, and an app ({k})"
            session.touch()
            store.save(session)
            start = time.perf_counter()
            reader.read()
            one.append(time.perf_counter() - start)
        print(
            f"room of 20: first read {first * 1000:.0f} ms; nothing changed: median "
            f"{statistics.median(idle) * 1000:.0f} ms; one participant answered: median "
            f"{statistics.median(one) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
