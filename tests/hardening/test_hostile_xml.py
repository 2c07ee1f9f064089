"""Hostile XML against every XML reader: rejected with a one-line WorkbenchError (or read without expanding
anything), with bounded memory, and without touching files or the network named in the document.
(No wall-clock assertions: an expansion would blow the pytest timeout and the content checks; the seconds
are measured by benchmarks/hostile_xml.py.)"""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError

from . import hostile
from .hostile import READERS

ROOT = Path(__file__).resolve().parents[2]
IDS = [r[0] for r in READERS]
pytestmark = pytest.mark.timeout(120)


def _reader(name):
    return next(r for r in READERS if r[0] == name)


def _attempt(fn, path: Path) -> tuple[list[str] | None, str | None, float]:
    t0 = time.monotonic()
    try:
        texts = fn(path)
        err = None
    except WorkbenchError as exc:
        texts, err = None, str(exc)
        assert "\n" not in err and err.strip()
    return texts, err, time.monotonic() - t0


@pytest.fixture(scope="module")
def spy_server():
    """A local HTTP server that records every request: an XML reader must never call it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    srv.shutdown()


@pytest.mark.parametrize("name", IDS)
def test_billion_laughs_is_refused_fast(name, tmp_path):
    _, _, kind, fn = _reader(name)
    for variant, data in (("utf8", hostile.billion_laughs(kind)), ("utf16", hostile.utf16_billion_laughs(kind)),
                          ("utf32", hostile.utf32_billion_laughs(kind))):
        path = tmp_path / f"laughs-{variant}.{kind}"
        path.write_bytes(data)
        texts, err, secs = _attempt(fn, path)
        if err is None:  # read without expansion is acceptable; expansion is not
            assert all("lol" not in t for t in texts) and sum(map(len, texts)) < 1000
        else:
            assert str(path) in err or path.name in err


@pytest.mark.parametrize("name", IDS)
def test_xxe_does_not_read_local_files(name, tmp_path):
    _, _, kind, fn = _reader(name)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CABLE-7731")
    path = tmp_path / f"xxe.{kind}"
    path.write_bytes(hostile.xxe(kind, secret))
    texts, err, secs = _attempt(fn, path)
    assert err is not None or all("TOP-SECRET" not in t for t in texts)


@pytest.mark.parametrize("name", IDS)
def test_external_dtd_and_parameter_entities_never_fetched(name, tmp_path, spy_server):
    _, _, kind, fn = _reader(name)
    url, hits = spy_server
    before = len(hits)
    for i, data in enumerate((hostile.external_dtd(kind, f"{url}/dtd"), hostile.parameter_entity(kind, f"{url}/pe"))):
        path = tmp_path / f"ext{i}.{kind}"
        path.write_bytes(data)
        texts, err, secs = _attempt(fn, path)
        assert err is not None or all("LEAKED" not in t for t in texts)
    time.sleep(0.2)
    assert len(hits) == before, f"the reader fetched {hits[before:]}"


@pytest.mark.parametrize("name", IDS)
def test_very_deep_nesting_is_refused_without_recursion_error(name, tmp_path):
    _, _, kind, fn = _reader(name)
    path = tmp_path / f"deep.{kind}"
    path.write_bytes(hostile.deep_nesting(kind))
    texts, err, secs = _attempt(fn, path)  # RecursionError / lxml errors would escape here and fail
    assert err is not None, "100,000 nested elements were accepted"


_RSS_CHILD = r"""
import resource, sys
sys.path.insert(0, sys.argv[1])
from workbench.tm.tmx import read_tmx
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = sum(len(unit.variants) for unit in read_tmx(sys.argv[3]))  # count only: keep nothing
print(n, base // 1024, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.parametrize("name", ["read_tmx"])
@pytest.mark.timeout(300)
def test_large_tmx_streams_with_bounded_memory(name, tmp_path):
    """A 40 MB TMX is read in a child process; its peak RSS must stay far below the file size.
    (The 200 MB figure comes from benchmarks/hostile_xml.py.)"""
    _reader(name)
    small, big = tmp_path / "small.tmx", tmp_path / "big.tmx"
    hostile.write_big_tmx(small, 1)
    n_big = hostile.write_big_tmx(big, 40)

    def peak(path):
        out = subprocess.run([sys.executable, "-c", _RSS_CHILD, str(ROOT), name, str(path)], capture_output=True,
                             text=True, timeout=240, cwd=ROOT)
        assert out.returncode == 0, out.stderr[-2000:]
        count, _base, peak_mb = map(int, out.stdout.split())
        return count, peak_mb

    _, peak_small = peak(small)
    count, peak_big = peak(big)
    assert count >= 2 * n_big  # every unit read (two variants each)
    # streaming: 40x more data may not cost more than 25 MB extra peak memory (a DOM would cost ~400 MB)
    assert peak_big - peak_small < 25, (peak_small, peak_big)
    print(f"read_tmx: 1 MB peak {peak_small} MB, 40 MB ({n_big} units) peak {peak_big} MB")


def test_safeio_refuses_oversized_file_before_reading(tmp_path):
    from workbench.core.safeio import parse_xml_file, read_bytes_limited

    path = tmp_path / "big.tbx"
    with open(path, "wb") as fh:
        fh.truncate(3 * 1024 * 1024)  # sparse: the size check must fire before any read
    with pytest.raises(WorkbenchError, match="too big"):
        read_bytes_limited(path, max_bytes=1024 * 1024)
    with pytest.raises(WorkbenchError, match="too big"):
        parse_xml_file(path, max_bytes=1024 * 1024)
