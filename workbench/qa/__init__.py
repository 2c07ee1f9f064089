"""Quality checks of translations (numbers, dates, punctuation, typography, glossary terms, consistency).

Each check is a function registered with its code, default severity, default on/off and description
(:mod:`workbench.qa.registry`; the segment checks are in :mod:`workbench.qa.checks`, the project checks in
:mod:`workbench.qa.project`). :func:`check_segment` checks one source/target pair; :func:`check_project`
checks every translation of a project and adds the project checks. Every finding is a :class:`Finding`
with the ``code`` of its check, a severity (``error``/``warning``/``info``) and a one-line message.
Checks are switched on and off per project with :func:`set_check` (the project's ``qa`` setting,
:mod:`workbench.qa.settings`).
"""

from .checks import LENGTH_RATIO, check_segment
from .project import by_segment, check_project, check_translation, project_settings, set_check, summarise
from .registry import CHECKS, SEVERITIES, Check, Finding, checks
from .settings import default_settings

__all__ = ["CHECKS", "LENGTH_RATIO", "SEVERITIES", "Check", "Finding", "by_segment", "check_project",
           "check_segment", "check_translation", "checks", "default_settings", "project_settings", "set_check",
           "summarise"]
