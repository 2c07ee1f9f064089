"""The Gradio web editor (``python app.py``): projects, the EN|RU|KM segment editor, panels.

:mod:`workbench.ui.model` computes what is shown from the store (no Gradio), :mod:`workbench.ui.app` lays it
out and wires the callbacks, :mod:`workbench.ui.assets` holds the CSS, keyboard shortcuts and Khmer font.
"""

from .model import Workspace  # noqa: F401


def build_app(*args, **kwargs):
    from .app import build_app as _build

    return _build(*args, **kwargs)


def launch(*args, **kwargs):
    from .app import launch as _launch

    return _launch(*args, **kwargs)
