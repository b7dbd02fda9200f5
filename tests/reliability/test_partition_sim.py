"""Escrow and floor under random partitions (tests/reliability/partition_sim.py): five real
terminal stores and a real central on loopback, links cut and healed at random.

- escrow: over 10,000 operations (`WALLETPOS_SIM_OPS` to change it) no card is ever
  overdrawn — no receivable, no conflict, a reserve that never goes below zero — and the
  invariant balance = reserve + open grants + open holds holds after every single operation;
  customers move between the two stores, get `reserved_elsewhere` where the other store's
  till holds part of the card, pay what is free at once and the rest after the holder's
  release, and no recalled grant ever comes back but by its holder's release entry;
- floor: in every round the loss is at most the sum of the cut-off terminals' caps, and every
  overdraft is a receivable with its case and a blocked card;
- both: central ends holding exactly every terminal's journal, balances equal issued + top-ups
  - redemptions, and the exposure report adds up to the journals.
"""

import os

import pytest

from tests.reliability.partition_sim import Sim

OPERATIONS = int(os.environ.get("WALLETPOS_SIM_OPS", "10000"))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_escrow_never_overdraws_under_random_partitions(tmp_path):
    sim = Sim(tmp_path, "escrow", terminals=5, seed=int(os.environ.get("WALLETPOS_SEED", "4")))
    try:
        sim.start()
        sim.run(OPERATIONS)
        sim.settle()
        report = sim.final_report()
    finally:
        sim.stop()
    stats = report["stats"]
    assert report["losses_minor"] == 0 and report["receivables"] == 0
    assert stats["redeems"] + stats["syncs"] + stats["topups"] >= OPERATIONS
    # The run must have exercised every path it claims to prove.
    assert stats["approved_offline"] > 0 and stats["approved_online"] > 0, report
    assert stats["declined:grant_exhausted"] > 0 and stats["partitions"] > 0, report
    assert report["releases"] > 0, report
    assert stats["moves"] > 0 and stats["moves_reserved_elsewhere"] > 0, report
    assert stats["moves_rest_paid_after_recall"] > 0, report
    assert report["recall"]["completed"] > 0, report
    print(report)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("seed", [1, 2])
def test_floor_loss_is_bounded_by_the_terminal_caps(tmp_path, seed):
    sim = Sim(tmp_path, "floor", terminals=5, cards=12, value="15.00", seed=seed)
    try:
        sim.start()
        rounds = sim.run_floor_rounds(rounds=2, ops_per_round=250)
        report = sim.final_report()
    finally:
        sim.stop()
    for loss, caps in rounds:
        assert loss <= caps, rounds
    assert sum(loss for loss, _ in rounds) == report["losses_minor"]
    assert report["losses_minor"] > 0, "the run never overdrew: it proves nothing"
    print(rounds, report)
