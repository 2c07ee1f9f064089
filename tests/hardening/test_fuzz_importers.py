"""Short fuzz runs of every importer (long runs: ``fuzz/run.py --target NAME --minutes 10``).

Rule under test: whatever bytes a user gives, only WorkbenchError subclasses (one-line messages) escape.
Examples per target: ``WORKBENCH_FUZZ_EXAMPLES`` (default 200).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fuzz.targets import TARGETS

EXAMPLES = int(os.environ.get("WORKBENCH_FUZZ_EXAMPLES", "200"))


@pytest.mark.parametrize("name", sorted(TARGETS))
@pytest.mark.timeout(600)
def test_importer_raises_only_workbench_errors(name):
    target = TARGETS[name]
    strategy = target.strategy()

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data):
        target.harness(data.draw(strategy, label="input"))

    run()


def test_harness_itself_reports_foreign_exceptions():
    """The guard must not swallow bugs: a non-WorkbenchError escapes, a multi-line message is a failure."""
    from fuzz.targets import HarnessFailure, run_guarded
    from workbench.core.errors import InputError

    with pytest.raises(IndexError):
        run_guarded(lambda: [][1])
    with pytest.raises(HarnessFailure):
        run_guarded(lambda: (_ for _ in ()).throw(InputError("two\nlines")))
    assert run_guarded(lambda: (_ for _ in ()).throw(InputError("x.txt: is empty; give text"))) is None
