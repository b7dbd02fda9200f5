"""Running terminal-service calls off the UI thread (the Anki `CollectionOp` pattern).

`Operations.run(fn, on_done=..., on_error=..., changes=...)` queues `fn(service)` on a worker
thread and calls back on the UI thread with the result, or with an `OpError` (reason code +
message) when it raised. Afterwards it emits `changed(OpChanges)` so each widget redraws what it
shows only when that part changed. A widget never holds a `TerminalService`.

Two lanes, each a QThread that owns its own `TerminalService` (the service is not thread-safe;
SQLite serialises the two): "counter" for what the cashier is waiting on (look-ups, redeem,
login) and "sync" for background sync, so a slow network can never hold up a scan. Work on one
lane runs in order.

Long work reports progress: with `reporting=True`, `fn(service, report)` may call
`report(text, fraction)` (fraction < 0: busy without a known end); `progress` carries it to the
UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.errors import WalletError

log = logging.getLogger(__name__)
LANES = ("counter", "sync")
# Reasons after which the screen must not go on (launch shows a dialog and quits): a damaged
# terminal.db decides nothing more, whichever operation met it first.
FATAL_REASONS = frozenset({"database_corrupt"})


@dataclass(frozen=True)
class OpChanges:
    """What an operation changed, so screens redraw only what they show (Anki's OpChanges)."""

    journal: bool = False  # an entry was appended: outbox count, receipt
    replica: bool = False  # cards, programs or staff came from central
    network: bool = False  # we learned whether central answers: online indicator, banner
    staff: bool = False  # who is logged in or the lockout changed


@dataclass(frozen=True)
class OpError:
    """A failed operation as the UI sees it: `reason` is translated by `gui.reasons`."""

    reason: str
    message: str
    user_facing: bool  # False: a programming error, logged with its traceback


@dataclass(frozen=True)
class _Task:
    op_id: int
    fn: Callable[..., Any]
    reporting: bool


class _Worker(QObject):
    """Lives on a lane's thread; opens the service there on first use."""

    finished = Signal(int, object, object)  # op_id, result, OpError | None
    progressed = Signal(int, str, float)

    def __init__(self, factory: Callable[[], Any]) -> None:
        super().__init__()
        self._factory = factory
        self._service: Any = None

    @Slot(object)
    def run(self, task: _Task) -> None:
        try:
            if self._service is None:
                self._service = self._factory()
            if task.reporting:
                result = task.fn(self._service,
                                 lambda text, fraction=-1.0: self.progressed.emit(
                                     task.op_id, text, float(fraction)))
            else:
                result = task.fn(self._service)
        except WalletError as exc:
            self.finished.emit(task.op_id, None, OpError(exc.reason, exc.message, True))
        except Exception as exc:  # a bug must reach the cashier as "call support", not a crash
            log.exception("operation %d failed", task.op_id)
            self.finished.emit(task.op_id, None,
                               OpError("internal_error", f"{type(exc).__name__}: {exc}", False))
        else:
            self.finished.emit(task.op_id, result, None)

    @Slot()
    def close(self) -> None:
        if self._service is not None:
            self._service.close()
            self._service = None


class _Lane(QObject):
    submit = Signal(object)
    closing = Signal()

    def __init__(self, name: str, factory: Callable[[], Any], parent: QObject) -> None:
        super().__init__(parent)
        self.thread = QThread(parent)
        self.thread.setObjectName(f"walletpos-{name}")
        self.worker = _Worker(factory)
        self.worker.moveToThread(self.thread)
        self.submit.connect(self.worker.run)  # queued: the worker lives on another thread
        self.closing.connect(self.worker.close)
        self.thread.start()


class Operations(QObject):
    changed = Signal(object)  # OpChanges
    progress = Signal(str, str, float)  # lane, text, fraction (<0 busy; >=1 done)
    busy = Signal(str, bool)  # lane, whether work is queued or running
    fatal = Signal(object)  # OpError with a FATAL_REASONS reason, emitted once

    def __init__(self, factory: Callable[[], Any] | Path | str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        if not callable(factory):
            home = Path(factory)

            def factory() -> Any:
                from pos_app.terminal.service import TerminalService

                return TerminalService(home)

        self._pending: dict[int, tuple[str, Callable[[Any], None] | None,
                                       Callable[[OpError], None] | None, OpChanges]] = {}
        self._ids = count(1)
        self._fatal: OpError | None = None
        self._lanes: dict[str, _Lane] = {}
        for name in LANES:
            lane = _Lane(name, factory, self)
            lane.worker.finished.connect(self._finished)
            lane.worker.progressed.connect(
                lambda op_id, text, frac, _n=name: self.progress.emit(_n, text, frac))
            self._lanes[name] = lane

    def run(self, fn: Callable[..., Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[OpError], None] | None = None,
            changes: OpChanges = OpChanges(), lane: str = "counter",
            reporting: bool = False) -> int:
        op_id = next(self._ids)
        idle = self.pending(lane) == 0
        self._pending[op_id] = (lane, on_done, on_error, changes)
        if idle:
            self.busy.emit(lane, True)
        self._lanes[lane].submit.emit(_Task(op_id, fn, reporting))
        return op_id

    def pending(self, lane: str | None = None) -> int:
        return sum(1 for p in self._pending.values() if lane is None or p[0] == lane)

    @Slot(int, object, object)
    def _finished(self, op_id: int, result: Any, error: OpError | None) -> None:
        lane, on_done, on_error, changes = self._pending.pop(op_id)
        if error is not None and error.reason in FATAL_REASONS and self._fatal is None:
            self._fatal = error
            self.fatal.emit(error)
        try:
            if error is None and on_done is not None:
                on_done(result)
            elif error is not None:
                if on_error is not None:
                    on_error(error)
                else:
                    log.warning("operation %d: %s (%s)", op_id, error.reason, error.message)
        finally:
            if changes != OpChanges():
                self.changed.emit(changes)
            if self.pending(lane) == 0:
                self.busy.emit(lane, False)

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Finish queued work, close each lane's service on its own thread, stop the threads."""
        for lane in self._lanes.values():
            lane.closing.emit()
            lane.thread.quit()
        for lane in self._lanes.values():
            lane.thread.wait(timeout_ms)
        self._lanes.clear()
