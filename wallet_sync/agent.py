"""The sync agent: push the terminal's outbox to central, then pull central's changes.

What it owns: the order and the resumption rules of one sync run, nothing about storage. The
terminal's local store is reached through the small `LocalStore` protocol below, so wallet_sync
never imports pos_app (dependencies point down: pos_app -> wallet_sync -> core).

Push: the outbox is every journal entry with `seq > push pointer`, sent in consecutive batches.
- Success moves the pointer to central's `acked`.
- A lost response after central committed is harmless: the pointer did not move, the same batch
  goes again and central answers the same `acked` (idempotent by seq + hash).
- 409 gap with `expected_seq`: central holds fewer entries than the pointer says (e.g. central
  restored from a backup); the pointer moves to `expected_seq - 1` and sending resumes there.
Between push and pull, an optional `after_push` step may append entries (the terminal hands
back escrow grants there, once central is known to be reachable); they are pushed before the
pull. Pull: pages after the stored cursor until `more` is false; the first page request carries
the journal `head` (central settles holds and grants against it, PROTOCOL.md); each page is
applied by the store in one local transaction (cursor included), so a crash between pages loses
nothing and repeats nothing. Only a run that finishes both halves counts as a "successful sync"
for the offline policy's clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypedDict

from core.journal import SignedEntry
from wallet_sync.client import CentralClient, CentralError, CentralRefused
from wallet_sync.protocol import ChangePage, PushResponse

MAX_GAP_RETRIES = 3  # central answering "gap" again and again means something else is wrong
MAX_PAGES = 100_000  # a runaway-loop guard far above any real replica


class SyncError(CentralError):
    reason = "sync_failed"


class SyncResult(TypedDict):
    pushed: int
    pulled: int
    conflicts: int


class LocalStore(Protocol):
    """What the agent needs from the terminal's store. Each method is its own transaction."""

    def last_seq(self) -> int:
        """Highest seq in the local journal (0 when empty)."""

    def push_pointer(self) -> int:
        """Highest seq central is known to hold; the outbox is everything after it."""

    def set_push_pointer(self, seq: int, *, allow_backward: bool = False) -> None:
        """Move the pointer; forward only unless central proved it holds less (a gap)."""

    def entries_after(self, seq: int, limit: int) -> list[SignedEntry]:
        """Up to `limit` journal entries with seq > `seq`, in seq order."""

    def pull_cursor(self) -> int:
        """The change cursor to pull after."""

    def apply_page(self, page: ChangePage) -> None:
        """Apply all changes, the new cursor and acked_seq in ONE local transaction."""

    def mark_synced(self, server_time: int) -> None:
        """Record a complete sync (push drained, pull finished) for the offline policy."""


class SyncClient(Protocol):
    def push(self, entries: Sequence[SignedEntry], *, timeout: float | None = None,
             retries: int | None = None) -> PushResponse: ...

    def pull(self, cursor: int, limit: int, head: int | None = None) -> ChangePage: ...


def push_outbox(store: LocalStore, client: SyncClient | CentralClient, *, batch: int = 500,
                timeout: float | None = None, retries: int | None = None,
                max_batches: int | None = None) -> tuple[int, int]:
    """Send the outbox (all of it, or at most `max_batches` batches); return (entries
    acknowledged, conflicts reported)."""
    pushed = conflicts = gaps = sent = 0
    while max_batches is None or sent < max_batches:
        pointer = store.push_pointer()
        entries = store.entries_after(pointer, batch)
        if not entries:
            return pushed, conflicts
        sent += 1
        try:
            response = client.push(entries, timeout=timeout, retries=retries)
        except CentralRefused as exc:
            expected = exc.expected_seq
            if exc.reason != "gap" or expected is None:
                raise
            gaps += 1
            if gaps > MAX_GAP_RETRIES:
                raise SyncError(f"central keeps answering gap (expected {expected})") from exc
            if expected - 1 > store.last_seq():
                # Central holds entries this terminal no longer has: a lost or replaced local
                # store. Nothing safe to do automatically.
                raise SyncError(f"central expects seq {expected} beyond the local journal",
                                reason="central_ahead") from exc
            store.set_push_pointer(expected - 1, allow_backward=True)
            continue
        conflicts += sum(1 for r in response.results if r.status != "applied")
        acked = min(response.acked, store.last_seq())
        if acked <= pointer:
            # Central took nothing from a batch that starts right after what it holds: looping
            # would resend forever.
            raise SyncError(f"central acknowledged {response.acked}, not beyond {pointer}")
        pushed += acked - pointer
        store.set_push_pointer(acked)
    return pushed, conflicts


def pull_changes(store: LocalStore, client: SyncClient | CentralClient, *, page_size: int = 1000
                 ) -> tuple[int, int | None]:
    """Pull pages until `more` is false; return (changes applied, central's server time).

    The next page is fetched while this one is applied (one request ahead, on one worker
    thread): a bootstrap of a million cards is a thousand pages, and central producing a page
    and the terminal storing one then overlap instead of waiting for each other."""
    pulled = 0
    server_time: int | None = None
    cursor = store.pull_cursor()
    # Read just before asking: every entry committed before this read is at or below it.
    head = store.last_seq()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull") as ahead:
        pending = ahead.submit(client.pull, cursor, page_size, head)
        for _ in range(MAX_PAGES):
            page = pending.result()
            if page.cursor_from != cursor and page.changes:
                raise SyncError(f"central answered a page from {page.cursor_from}, "
                                f"asked {cursor}")
            if page.more and page.cursor <= cursor:
                raise SyncError("central reports more changes but the cursor did not advance")
            if page.more:
                cursor = page.cursor
                pending = ahead.submit(client.pull, cursor, page_size, None)
            store.apply_page(page)
            pulled += len(page.changes)
            server_time = page.server_time
            if not page.more:
                return pulled, server_time
    raise SyncError("too many change pages in one sync")


def sync(store: LocalStore, client: SyncClient | CentralClient, *, push_batch: int = 500,
         pull_page: int = 1000, after_push: Callable[[], int] | None = None) -> SyncResult:
    """One full run: drain the outbox, run `after_push` (returns how many entries it appended;
    they are pushed too), then pull to the end. Raises on the first failure; what was done
    before it stays done (every step is its own committed transaction)."""
    pushed, conflicts = push_outbox(store, client, batch=push_batch)
    if after_push is not None and after_push():
        more, more_conflicts = push_outbox(store, client, batch=push_batch)
        pushed, conflicts = pushed + more, conflicts + more_conflicts
    pulled, server_time = pull_changes(store, client, page_size=pull_page)
    store.mark_synced(server_time or 0)
    return {"pushed": pushed, "pulled": pulled, "conflicts": conflicts}
