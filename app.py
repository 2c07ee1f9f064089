#!/usr/bin/env python3
"""The workbench editor: ``python app.py [--project P.db] [--host H] [--port N] [--auth user:pw]``.

Opens http://127.0.0.1:7860 by default. With no ``--project`` it opens the most recent project in
``$WORKBENCH_HOME/projects`` or, on the very first run, creates one from the shipped seed article.
The same editor runs from an installed package as ``python -m workbench.ui``.
"""

from __future__ import annotations

import sys

from workbench.ui.__main__ import main

if __name__ == "__main__":
    sys.exit(main(prog="app.py"))
