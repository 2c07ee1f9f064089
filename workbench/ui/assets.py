"""CSS, keyboard JavaScript and the bundled Khmer font for the editor.

The font is Noto Sans Khmer (SIL Open Font License) from the PyPI package ``fontpkg-noto-sans-khmer``. Gradio
serves it from its own folder (``allowed_paths``) and an ``@font-face`` rule with a Khmer ``unicode-range``
puts it first for Khmer characters only, so Khmer renders on machines without any Khmer font installed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import fontpkg_noto_sans_khmer

KHMER_FAMILY = "Workbench Khmer"
KHMER_SAMPLE = "ព្រះរាជាណាចក្រកម្ពុជា"


STATIC = Path(__file__).resolve().parent / "static"


def read_static(name: str) -> str:
    """A file of the editor's browser code or style (``workbench/ui/static/``)."""
    return (STATIC / name).read_text(encoding="utf-8")


def view_js(name: str) -> str:
    """The ``js_on_load`` code of a browser view: the shared helpers (``common.js``), then ``name``."""
    return read_static("common.js") + "\n" + read_static(name)


def khmer_font_file() -> Path | None:
    """The bundled Noto Sans Khmer file (None if the package holds none)."""
    files = sorted((Path(fontpkg_noto_sans_khmer.__file__).parent / "files").glob("*.[ot]tf"))
    return files[0] if files else None


def font_dirs() -> list[str]:
    font = khmer_font_file()
    return [str(font.parent)] if font else []


def css() -> str:
    font = khmer_font_file()
    face = ""
    if font:
        # Relative URL: works behind a root_path too. Brackets and commas in the file name are escaped.
        url = "gradio_api/file=" + quote(str(font), safe="/")
        face = f"""
@font-face {{
  font-family: "{KHMER_FAMILY}";
  src: url("{url}") format("truetype");
  font-weight: 100 900;
  font-display: swap;
  unicode-range: U+1780-17FF, U+19E0-19FF, U+200B-200D, U+25CC;
}}
"""
    return face + f"""
.gradio-container, .gradio-container textarea, .gradio-container input, .gradio-container button,
.gradio-container [role=gridcell], .gradio-container td, .gradio-container th {{
  font-family: "{KHMER_FAMILY}", ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
               "DejaVu Sans", sans-serif !important;
}}
.gradio-container {{ max-width: 100% !important; }}
.lang-km textarea {{ font-size: 1.08em; line-height: 1.9; }}
.lang-km textarea, .lang-ru textarea {{ min-height: 4.5em; }}
#src textarea {{ background: var(--background-fill-secondary); }}
#wb-msg {{ min-height: 1.6em; }}
#wb-msg .msg {{ padding: 4px 10px; border-radius: 6px; font-size: 0.92em; white-space: pre-wrap; }}
#wb-msg .msg.ok {{ background: #e7f6ec; color: #14532d; }}
#wb-msg .msg.err {{ background: #fdecec; color: #8a1c1c; border: 1px solid #f3b4b4; }}
#wb-msg .msg.info {{ background: #eef3fb; color: #1e3a6a; }}
.seg-head {{ font-weight: 600; font-size: 0.95em; }}
.seg-head .muted, .tgt-info .muted {{ font-weight: 400; color: var(--body-text-color-subdued); }}
.tgt-info {{ font-size: 0.88em; padding: 2px 4px; }}
.badge {{ display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 0.85em; margin-right: 4px;
          background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); }}
.badge.confirmed {{ background: #e7f6ec; border-color: #9fd8b0; }}
.badge.new {{ background: #fff7e0; border-color: #f0d27a; }}
.wb-tag {{ display: inline-block; padding: 0 4px; margin: 0 1px; border-radius: 4px; font-size: 0.8em;
           font-family: monospace; background: #efe7fb; color: #4b2a7b; border: 1px solid #cdb8ee; }}
.panel h4 {{ margin: 6px 0 2px 0; font-size: 0.9em; }}
.panel ul {{ margin: 0 0 4px 1.1em; padding: 0; font-size: 0.88em; }}
.panel .ok {{ color: #14532d; }} .panel .bad {{ color: #8a1c1c; }}
.keys {{ font-size: 0.8em; color: var(--body-text-color-subdued); }}
.keys kbd {{ border: 1px solid var(--border-color-primary); border-radius: 3px; padding: 0 3px; }}
#grid {{ font-size: 0.9em; }}
#grid .wb-current td, #grid .wb-current [role=gridcell] {{ background: #fff4cc !important; }}
.tgt-actions {{ padding: 4px 6px; gap: 6px !important; align-items: center; background: var(--block-background-fill); }}
.tgt-actions button {{ flex-grow: 0 !important; }}
""" + read_static("desk.css")


#: Keyboard shortcuts, installed once on page load (``launch(js=...)``). Capture phase, so they work inside
#: text areas. The language of the focused target box decides which Confirm/Save button is pressed.
SHORTCUTS_JS = r"""
() => {
  if (window.__wbKeys) return;
  window.__wbKeys = true;
  let lastLang = null;
  const langOf = (el) => {
    const box = el && el.closest ? el.closest('[id^="tgt-"]') : null;
    return box ? box.id.slice(4) : null;
  };
  const firstLang = () => {
    const box = document.querySelector('[id^="tgt-"]');
    return box ? box.id.slice(4) : 'ru';
  };
  const press = (id) => {
    const b = document.getElementById(id);
    if (b && !b.disabled) { b.click(); return true; }
    return false;
  };
  document.addEventListener('focusin', (e) => { const l = langOf(e.target); if (l) lastLang = l; }, true);
  document.addEventListener('keydown', (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const lang = langOf(document.activeElement) || lastLang || firstLang();
    let id = null;
    if (mod && e.key === 'Enter') id = 'confirm-' + lang;
    else if (mod && !e.shiftKey && (e.key === 's' || e.key === 'S')) id = 'save-' + lang;
    else if (e.altKey && e.key === 'ArrowDown') id = 'next-seg';
    else if (e.altKey && e.key === 'ArrowUp') id = 'prev-seg';
    else if (mod && e.shiftKey && (e.key === 'u' || e.key === 'U')) id = 'undo-' + lang;
    else if (mod && e.key === 'Insert') id = 'copy-src-' + lang;
    if (id) { e.preventDefault(); e.stopPropagation(); press(id); }
  }, true);
  // Mark the grid row of the open segment (its id is in the segment header's data-seg).
  let pending = false;
  const mark = () => {
    pending = false;
    const head = document.querySelector('#seg-head [data-seg]');
    const cur = head ? head.getAttribute('data-seg') : null;
    document.querySelectorAll('#grid tr, #grid [role=row]').forEach((row) => {
      const first = row.querySelector('[role=gridcell], td');
      const on = !!(cur && first && first.textContent.trim() === cur);
      if (row.classList.contains('wb-current') !== on) {
        row.classList.toggle('wb-current', on);
        if (on && row.scrollIntoView) row.scrollIntoView({block: 'nearest', inline: 'nearest'});
      }
    });
  };
  new MutationObserver(() => { if (!pending) { pending = true; requestAnimationFrame(mark); } })
    .observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""


HEAD = '<meta name="google" content="notranslate">'
