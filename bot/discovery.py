"""Import every module of a listener package so each can register itself.

A feature adds a file; nobody edits a central list (and nobody collides on it).
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def import_all(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]


def register_all(package: ModuleType, app, runtime) -> None:  # type: ignore[no-untyped-def]
    """Call `register(app, runtime)` of every module in `package` that has one."""
    for module in import_all(package):
        register = getattr(module, "register", None)
        if register is not None:
            register(app, runtime)
