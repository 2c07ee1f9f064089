"""libFuzzer entry point (atheris) for one fuzz target: ``atheris_target.py TARGET [CORPUS] [-libfuzzer flags]``.

Coverage of the workbench package is instrumented; libFuzzer's byte buffers drive the target's hypothesis
strategy (structure-aware) through ``fuzz_one_input``. Run it through ``fuzz/run.py --engine atheris``.
"""

import os
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("WORKBENCH_HOME", f"/tmp/wbfuzz-home-{os.getpid()}")

import atheris  # noqa: E402

with atheris.instrument_imports(include=["workbench"]):
    import workbench.core.safeio  # noqa: F401
    import workbench.glossary  # noqa: F401
    import workbench.ingest  # noqa: F401
    import workbench.ingest.segment  # noqa: F401
    import workbench.tm.memory  # noqa: F401
    import workbench.tm.tmx  # noqa: F401

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from fuzz.targets import TARGETS  # noqa: E402

target = TARGETS[sys.argv[1]]
strategy = target.strategy()


@settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def prop(data):
    target.harness(data.draw(strategy))


def one_input(buf: bytes) -> None:
    prop.hypothesis.fuzz_one_input(buf)


atheris.Setup([sys.argv[0]] + sys.argv[2:], one_input)
atheris.Fuzz()
