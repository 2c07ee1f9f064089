"""Soft locks: who is editing which segment, renewed by polls, gone when a tab moves on or stops polling."""

from __future__ import annotations

from workbench.ui.presence import Presence, lock_label


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_holders_move_expire_and_exclude_the_asking_tab():
    clock = Clock()
    p = Presence(ttl=20, clock=clock)
    p.hold("a", 12, "rita", "tab1")
    p.hold("a", 12, "boris", "tab2")
    p.hold("b", 12, "vera", "tab3")  # another project
    assert [h.user for h in p.holders("a")[12]] == ["rita", "boris"]
    assert [h.user for h in p.holders("a", [12], exclude_client="tab1")[12]] == ["boris"]
    assert p.holders("a", [13]) == {}
    p.hold("a", 13, "rita", "tab1")  # rita moves on: her lock on 12 is released
    assert [h.user for h in p.holders("a")[12]] == ["boris"]
    clock.now += 15
    p.hold("a", 12, "boris", "tab2")  # boris's poll renews his
    clock.now += 10
    assert set(p.holders("a")) == {12}  # rita stopped polling 25 s ago: gone
    p.release("tab2")
    assert p.holders("a") == {}
    p.hold("a", None, "x", "tab9")  # nothing open: nothing held
    p.hold("a", 5, "x", "")  # no tab id: ignored
    assert p.holders("a") == {}


def test_labels():
    clock = Clock()
    p = Presence(clock=clock)
    for user, tab in (("rita", "t1"), ("boris", "t2"), ("rita", "t3"), ("user", "t4")):
        p.hold("a", 1, user, tab)
    holders = p.holders("a")[1]
    assert lock_label(holders[:1]) == "rita is editing"
    assert lock_label(holders[:2]) == "rita and boris are editing"
    assert lock_label(holders[:3], me="rita") == "you (another tab) and boris are editing"
    assert lock_label(holders[3:]) == "someone is editing"  # no name given: nobody to point at
    assert lock_label([]) == ""
