"""Old spellings kept working for one release, each with a DeprecationWarning.

``topictrack.themes``, ``topictrack.sentiment`` and ``topictrack.trends`` used to be callable
as functions; they are modules, and the functions are :func:`topictrack.list_themes`,
:func:`topictrack.tone` and :func:`topictrack.theme_trends`. Calling one of the modules
still works, with a warning naming the new function.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings

RENAMED = {"themes": "list_themes", "sentiment": "tone", "trends": "theme_trends"}


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        old = self.__name__.rpartition(".")[2]
        new = RENAMED[old]
        warnings.warn(f"calling the module topictrack.{old} is deprecated; use topictrack.{new}()",
                      DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module("topictrack"), new)(*args, **kwargs)


def keep_callable(module_name: str) -> None:
    """Let ``sys.modules[module_name]`` be called as its old function, with a warning."""
    sys.modules[module_name].__class__ = _CallableModule
