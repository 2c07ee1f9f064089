"""Project reports (words, match analysis, progress, post-editing, QA) with plots, and MT/post-editing metrics."""

from .plots import PLOT_FILES, write_plots
from .project import CATEGORIES, build_report, categorise, format_report, write_project_plots

__all__ = ["CATEGORIES", "PLOT_FILES", "build_report", "categorise", "format_report", "write_plots",
           "write_project_plots"]
