"""`jupyter-book`, started ~2 s faster: what `python3 run.py build` runs.

    python -m infobandwidth.tools.jb build . -W -n --keep-going

Exactly Jupyter Book's own command line (``jupyter_book.cli.main``), with one difference in how the
process starts: ``jupyter_book.config`` imports ``jsonschema``, whose optional format checkers
import ``rfc3987_syntax`` when it is installed (it is: ``jupyter-events`` asks for
``jsonschema[format-nongpl]``), and ``rfc3987_syntax`` 1.1.0 compiles ~40 lark grammars at import
time — measured 1.9 s of every build's start-up on this machine kind (``import jsonschema`` 2.0 s
with it, 0.4 s without). Those grammars only check the ``iri``/``iri-reference`` string formats,
which neither Jupyter Book's config schema nor nbformat's notebook schema uses, so the build
process marks the module as unavailable (``sys.modules["rfc3987_syntax"] = None``; jsonschema
then simply does not register those two checkers). The site is byte-for-byte the same as with
``jupyter-book build``. Any other process (JupyterLab, jupyter-events) is untouched.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    if "jsonschema" not in sys.modules:  # once jsonschema is imported, it is too late to matter
        sys.modules.setdefault("rfc3987_syntax", None)
    from jupyter_book.cli.main import main as jupyter_book

    jupyter_book(args=sys.argv[1:] if argv is None else argv, prog_name="jupyter-book")


if __name__ == "__main__":
    main()
