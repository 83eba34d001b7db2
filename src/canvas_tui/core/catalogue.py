"""Activity catalogue: placeholder until the inference branch lands (issue 4)."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.core.errors import Problem


class Catalogue:
    def __init__(self) -> None:
        self.activities: dict[str, object] = {}

    def get(self, activity_id: str) -> object | None:
        return self.activities.get(activity_id)


def load_catalogue(*paths: Path) -> Catalogue:
    return Catalogue()


def check_catalogue(*paths: Path) -> list[Problem]:
    return []


def default_catalogue() -> Catalogue:
    return Catalogue()
