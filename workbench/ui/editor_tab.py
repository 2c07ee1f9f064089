"""The Editor tab: the segment desk. The list of segments is the editor: each row shows the source (with its
glossary terms and search hits highlighted) and the targets the user works on; clicking a row opens its boxes
in place with the caret in the first target, and the panel beside the list shows the active row's glossary
terms, TM matches, QA findings and history.

The tab is one ``gr.HTML`` component whose browser code (``static/desk.js``) talks to
:class:`workbench.ui.desk.Desk` through one server function, outside Gradio's event queue: requests of one
browser tab go one after the other, those of different tabs and users in parallel.
"""

from __future__ import annotations

import gradio as gr

from ..core.store import CONFIRMED, STATUSES
from ..core.views import ORIGIN_CHOICES, SCOPES, STATUS_CHOICES
from . import rows as R
from .assets import view_js
from .context import EditorContext, login_name
from .desk import Desk

#: Browser code that opens a project in the desk (run after an event that chose one).
OPEN_JS = "(key) => { if (window.wbDesk && key) window.wbDesk.open(key); return []; }"
#: Browser code that reloads the desk's page and panel (after a glossary change, for instance).
REFRESH_JS = "() => { if (window.wbDesk) window.wbDesk.refresh(); return []; }"
#: Browser code that asks again which target languages have an MT model (the tab is shown again).
MODELS_JS = "() => { if (window.wbDesk) window.wbDesk.refreshModels(); return []; }"


class EditorTab:
    def __init__(self, ctx: EditorContext):
        self.ctx = ctx
        self.desk = Desk(ctx)

    def build(self) -> None:
        def desk(data: dict, request: gr.Request) -> dict:
            data = data if isinstance(data, dict) else {}
            return self.desk.call(str(data.get("action") or ""), data, self.ctx.user(request, data.get("author")),
                                  login=bool(login_name(request)))

        self.html = gr.HTML("", html_template=R.desk_skeleton(STATUSES, CONFIRMED, STATUS_CHOICES, ORIGIN_CHOICES,
                                                              SCOPES),
                            js_on_load=view_js("desk.js"), server_functions=[desk], elem_id="desk",
                            apply_default_css=False)
