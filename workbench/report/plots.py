"""The report's three PNG plots (matplotlib, Agg backend), drawn from :func:`workbench.report.build_report`'s
dict: post-editing effort (edit-distance distribution), progress by status, QA findings by type."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.store import STATUSES

PLOT_FILES = ("edit_distance.png", "progress.png", "qa_findings.png")
#: bar colour of each translation status
STATUS_COLOURS = {"new": "#cccccc", "draft": "#f0b429", "translated": "#7cb7e8", "reviewed": "#3d7cc9",
                  "approved": "#2f9e44"}
#: bar colour of each QA severity
SEVERITY_COLOURS = {"error": "#d9480f", "warning": "#f59f00", "info": "#74c0fc"}


def write_plots(report: dict[str, Any], folder: str | os.PathLike) -> list[Path]:
    """Draw ``edit_distance.png``, ``progress.png`` and ``qa_findings.png`` into ``folder``; return the paths."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the plot folder ({exc.strerror})") from None
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    langs = report["target_langs"]
    paths: list[Path] = []
    for name, size, draw in ((PLOT_FILES[0], (6, 3.5), _edit_distance),
                             (PLOT_FILES[1], (7, 1.4 + 0.6 * len(langs)), _progress),
                             (PLOT_FILES[2], (6, 1.5 + 0.35 * max(1, len(_qa_codes(report)))), _qa_findings)):
        fig, ax = plt.subplots(figsize=size)
        draw(ax, report)
        path = folder / name
        tmp = folder / (name + ".tmp.png")  # written whole, then renamed: a viewer never sees half a file
        fig.tight_layout()
        fig.savefig(tmp, dpi=100)
        plt.close(fig)
        os.replace(tmp, path)
        paths.append(path)
    return paths


def _edit_distance(ax, report: dict[str, Any]) -> None:
    """Distribution of the normalised edit distance between MT draft and current text, one colour per language."""
    from matplotlib.ticker import MaxNLocator

    bins = [i / 10 for i in range(11)]
    series = [(lang, [e["edit_distance"] for e in report["post_edit_segments"] if e["lang"] == lang])
              for lang in report["target_langs"]]
    series = [(lang, vals) for lang, vals in series if vals]
    if series:  # grouped bars, one colour per language
        ax.hist([v for _, v in series], bins=bins, label=[f"{lang} (n={len(v)})" for lang, v in series])
        ax.legend()
    else:
        ax.text(0.5, 0.5, "no MT drafts in the history yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("normalised edit distance, MT draft -> current text (0 = unchanged)")
    ax.set_ylabel("segments")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Post-editing effort")


def _progress(ax, report: dict[str, Any]) -> None:
    """Segments per status, one stacked bar per language."""
    from matplotlib.ticker import MaxNLocator

    langs = report["target_langs"]
    left = [0] * len(langs)
    for status in STATUSES:
        vals = [report["progress"][lang][status]["segments"] for lang in langs]
        ax.barh(langs, vals, left=left, color=STATUS_COLOURS[status], label=status)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_xlabel("segments")
    ax.set_title("Progress by status")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))


def _qa_codes(report: dict[str, Any]) -> list[str]:
    qa = report.get("qa") or {}
    return sorted({c for lang in qa for c in qa[lang]})


def _qa_findings(ax, report: dict[str, Any]) -> None:
    """Findings per check code (all target languages), stacked by severity."""
    from matplotlib.ticker import MaxNLocator

    qa = report.get("qa") or {}
    codes = _qa_codes(report)
    if codes:
        left = [0] * len(codes)
        for sev, colour in SEVERITY_COLOURS.items():
            vals = [sum(qa[lang].get(c, {}).get(sev, 0) for lang in qa) for c in codes]
            ax.barh(codes, vals, left=left, color=colour, label=sev)
            left = [a + b for a, b in zip(left, vals)]
        ax.legend(fontsize="small")
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.text(0.5, 0.5, "no QA findings" if "qa" in report else "QA not run", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel("findings (all target languages)")
    ax.set_title("QA findings by type")
