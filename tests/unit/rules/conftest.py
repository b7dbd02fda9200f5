from __future__ import annotations

import pytest
from rules_fixtures import EXAMPLE

from core.programs import ProgramSet, parse_programs


@pytest.fixture(scope="session")
def programs() -> ProgramSet:
    return parse_programs(EXAMPLE.read_text(encoding="utf-8"), filename="programs.yaml")
