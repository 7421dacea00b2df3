"""Names of a package that load their module on first use (PEP 562), so importing the package
loads nothing heavy."""

from __future__ import annotations

import importlib
import sys


def lazy_names(package: str, names: dict[str, str], modules: tuple[str, ...] = ()):
    """``(__getattr__, __dir__)`` for ``package``: each of ``names`` comes from the module it maps
    to, each of ``modules`` is the submodule of that name; a value is kept once loaded."""

    def __getattr__(name: str):
        if name in modules:
            return importlib.import_module(f"{package}.{name}")
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__
