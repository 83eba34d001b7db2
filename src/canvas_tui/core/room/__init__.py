"""The workshop room: one timer and one current set for every participant of `serve --workshop`, kept in a small file in the workshop folder (``DIR/room.json``) that the facilitator's `canvas-tui room DIR` writes and each participant's app reads.
May import: canvas_tui.core.interview, canvas_tui.core.team, canvas_tui.core.canvas, canvas_tui.core.errors, canvas_tui.core.fsutil
"""

from canvas_tui.core.room.state import (
    ROOM_FILE,
    Room,
    RoomError,
    RoomSet,
    RoomWatcher,
    SetClock,
    end_set,
    extend,
    new_room,
    pause,
    read_room,
    room_from_dict,
    room_to_dict,
    skip_ended,
    start,
    toggle,
    write_room,
)

__all__ = [
    "ROOM_FILE",
    "Room",
    "RoomError",
    "RoomSet",
    "RoomWatcher",
    "SetClock",
    "end_set",
    "extend",
    "new_room",
    "pause",
    "read_room",
    "room_from_dict",
    "room_to_dict",
    "skip_ended",
    "start",
    "toggle",
    "write_room",
]
