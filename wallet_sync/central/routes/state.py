"""What every route shares, built once by `create_app`: central's database, its signing key
and its business clock (a test or a simulation moves it). Routes receive it as the
`CentralState` dependency instead of closing over locals of the app factory, so each router is
a plain module-level `APIRouter`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from wallet_sync.central.data_keys import DataKeys
from wallet_sync.central.db import Database
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.messages import MessageSettings


class Central:
    """The database, central's signing key (and the data keys derived from it), the clock and
    the message settings (the brand and public URL the unsubscribe page uses)."""

    def __init__(self, db: Database, key: SigningKey, clock: Callable[[], float],
                 message_settings: MessageSettings | None = None) -> None:
        self.db = db
        self.key = key
        self.keys = DataKeys(key)
        self.clock = clock
        self.messages = message_settings or MessageSettings.from_env()

    def now(self) -> int:
        return int(self.clock())


async def central_of(request: Request) -> Central:
    # async: a plain attribute read needs no trip to the threadpool.
    central: Central = request.app.state.central
    return central


CentralState = Annotated[Central, Depends(central_of)]
