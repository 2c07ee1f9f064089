"""Quality checks of translations (numbers, dates, punctuation, glossary terms, consistency...)."""

from .checks import CHECKS, Finding, by_segment, check_project, check_segment, check_translation, project_settings

__all__ = ["CHECKS", "Finding", "by_segment", "check_project", "check_segment", "check_translation",
           "project_settings"]
