"""Start the web editor: ``python -m workbench.ui [--project P.db] [--host H] [--port N] [--auth user:pw]``
(``python app.py`` in a checkout runs the same).

Opens http://127.0.0.1:7860 by default. With no ``--project`` it opens the most recent project in
``$WORKBENCH_HOME/projects`` or, on the very first run, creates one from the seed article shipped in
``workbench/data/seed/``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys


def main(argv: list[str] | None = None, prog: str = "python -m workbench.ui") -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    ap = argparse.ArgumentParser(prog=prog, description="workbench web editor (EN | RU | KM)")
    ap.add_argument("--project", help="project file (.db) to open; default: the latest in the data directory, "
                                      "or a new one from the seed article on first run")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1; use 0.0.0.0 only if others must reach it)")
    ap.add_argument("--port", type=int, default=None, help="port (default: 7860 or the next free one)")
    ap.add_argument("--auth", default=None,
                    help="require a login, as user:password (better: set WORKBENCH_AUTH, which ps cannot show)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from ..core.errors import WorkbenchError
    from .app import build_app, launch, parse_auth
    from .model import Workspace, start_project

    try:
        auth = parse_auth(args.auth or os.environ.get("WORKBENCH_AUTH"))
        ws = Workspace()
        path = start_project(ws, args.project)
    except WorkbenchError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    print(f"opening {path}", file=sys.stderr)
    app = build_app(path)
    if args.host not in ("127.0.0.1", "localhost", "::1") and auth is None:
        print(f"{prog}: warning: listening on {args.host} without --auth: anyone who can reach it can edit",
              file=sys.stderr)
    launch(app, host=args.host, port=args.port, auth=auth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
