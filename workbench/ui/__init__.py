"""The Gradio web editor (``python app.py``): projects, the EN|RU|KM segment editor, alignment, glossary, export.

:mod:`workbench.ui.model` computes what is shown from the store (no Gradio); :mod:`workbench.ui.app` builds
the Blocks from one module per tab and starts the server; :mod:`workbench.ui.api` holds the public
``gradio_client`` endpoints; :mod:`workbench.ui.render` the HTML pieces; :mod:`workbench.ui.assets` the CSS,
keyboard shortcuts and Khmer font.
"""

from .model import Workspace  # noqa: F401


def build_app(*args, **kwargs):
    """:func:`workbench.ui.app.build_app` (Gradio is imported on first use)."""
    from .app import build_app as build

    return build(*args, **kwargs)


def launch(*args, **kwargs):
    """:func:`workbench.ui.app.launch`."""
    from .app import launch as start

    return start(*args, **kwargs)
