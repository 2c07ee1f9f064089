"""Start the web editor: ``python -m workbench.ui [--project P.db] [--host H] [--port N] [--auth user:pw]
[--allowed-host NAME] [--public-url URL]`` (``python app.py`` in a checkout runs the same).

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
                    help="one login, as user:password, with the admin role (better: set WORKBENCH_AUTH, which ps "
                         "cannot show; for named users with roles see 'workbench users add')")
    ap.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                    help="a host name the editor answers to besides localhost (repeatable), e.g. the name "
                         "others type in the browser")
    ap.add_argument("--public-url", default=None, metavar="URL",
                    help="the address users open, e.g. https://translate.example.org behind a reverse proxy "
                         "(its host is allowed, its origin trusted, cookies Secure when https)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from ..core.errors import WorkbenchError
    from ..core.users import Logins
    from .app import build_app, launch, parse_auth
    from .model import Workspace, start_project
    from .security import LOCAL_HOSTS, WebPolicy

    try:
        auth = parse_auth(args.auth or os.environ.get("WORKBENCH_AUTH"))
        WebPolicy.build(bind_host=args.host, allowed_hosts=args.allowed_host, public_url=args.public_url)
        logins = Logins(single=auth)
        try:
            store = logins.store()
            n_users = len(store) if store is not None else 0
        finally:
            logins.close()
        ws = Workspace()
        path = start_project(ws, args.project)
    except WorkbenchError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    print(f"opening {path}", file=sys.stderr)
    if n_users:
        print(f"logins required: {n_users} user{'s' if n_users > 1 else ''} in {logins.path}"
              + (" and the --auth login" if auth else ""), file=sys.stderr)
    app = build_app(path)
    if args.host not in LOCAL_HOSTS and auth is None and not n_users:
        print(f"{prog}: warning: listening on {args.host} without a login (no --auth, no users): anyone who can "
              "reach it can edit; add users with 'workbench users add NAME --role admin'", file=sys.stderr)
    try:
        launch(app, host=args.host, port=args.port, auth=auth, allowed_hosts=args.allowed_host,
               public_url=args.public_url)
    except WorkbenchError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
