#!/usr/bin/env python3
"""The workbench editor: ``python app.py [--project P.db] [--host H] [--port N]``.

Opens http://127.0.0.1:7860 by default. With no ``--project`` it opens the most recent project in
``$WORKBENCH_HOME/projects`` or, on the very first run, creates one from the seed article in ``corpora/``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="app.py", description="workbench web editor (EN | RU | KM)")
    ap.add_argument("--project", help="project file (.db) to open; default: the latest in the data directory, "
                                      "or a new one from the seed article on first run")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1; use 0.0.0.0 only if others must reach it)")
    ap.add_argument("--port", type=int, default=None, help="port (default: 7860 or the next free one)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from workbench.errors import WorkbenchError
    from workbench.ui.app import build_app, launch
    from workbench.ui.model import Workspace, start_project

    try:
        ws = Workspace()
        path = start_project(ws, args.project)
    except WorkbenchError as exc:
        print(f"app.py: {exc}", file=sys.stderr)
        return 2
    print(f"opening {path}", file=sys.stderr)
    app = build_app(path)
    launch(app, host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
