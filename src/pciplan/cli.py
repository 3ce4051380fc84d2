"""The ``pciplan`` console script.

``pciplan COMMAND …`` runs a Django management command (``pciplan migrate``, ``pciplan check --deploy``,
``pciplan load_demo`` …). The engine commands (``score``, ``whatif``, ``solve``) and ``import-plan`` need
no database and run without setting Django up.
"""

from __future__ import annotations

import os
import sys

# Commands that work on a fresh clone without a database: name -> "module:function".
PURE_COMMANDS = {
    "score": "pciplan.engine.cli:score_main",
    "whatif": "pciplan.engine.cli:whatif_main",
    "solve": "pciplan.engine.cli:solve_main",
    "import-plan": "pciplan.plandoc.cli:main",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in PURE_COMMANDS:
        module_name, _, func_name = PURE_COMMANDS[argv[1]].partition(":")
        import importlib

        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(argv[2:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pciplan.settings")
    from django.core.management import execute_from_command_line

    # Commands with a dash are the project's own, spelled as users type them.
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "pciplan"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
