"""Build step for the wheel: compile translations/*.po into the package.

Everything else about the package is declared in pyproject.toml. The compiled
.mo files are not in git, so `pip wheel .` on a fresh clone must make them:
without this step an installed build would run in English.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        spec = importlib.util.spec_from_file_location(
            "compile_catalogs", HERE / "tools" / "compile_catalogs.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.compile_catalogs(HERE / "translations",
                                Path(self.build_lib) / "shelterdesk" / "locale")


setup(cmdclass={"build_py": BuildPyWithCatalogs})
