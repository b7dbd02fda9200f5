"""What every route shares, built once by `create_app`: central's database, its signing key
and its business clock (a test or a simulation moves it). Routes receive it as the
`CentralState` dependency instead of closing over locals of the app factory, so each router is
a plain module-level `APIRouter`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from wallet_sync.central.db import Database
from wallet_sync.central.keys import SigningKey


class Central:
    """The database, central's signing key and the clock."""

    def __init__(self, db: Database, key: SigningKey, clock: Callable[[], float]) -> None:
        self.db = db
        self.key = key
        self.clock = clock

    def now(self) -> int:
        return int(self.clock())


async def central_of(request: Request) -> Central:
    # async: a plain attribute read needs no trip to the threadpool.
    central: Central = request.app.state.central
    return central


CentralState = Annotated[Central, Depends(central_of)]
