"""Let a stage module double as its main function.

``topictrack.themes``, ``topictrack.sentiment`` and ``topictrack.trends`` are both
modules and the package's public functions of the same name. Once anything imports
the module, Python binds the package attribute to the module object; making that
module callable keeps ``topictrack.themes()`` working either way.
"""

from __future__ import annotations

import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return getattr(self, self.__name__.rpartition(".")[2])(*args, **kwargs)


def make_callable(module_name: str) -> None:
    """Make ``sys.modules[module_name]`` call its function named like the module."""
    sys.modules[module_name].__class__ = _CallableModule
