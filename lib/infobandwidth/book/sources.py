"""Where the book's pages are and which claim boxes they show, read from the repository's sources.

* :func:`toc_files` — every page of ``_toc.yml`` in reading order (the one TOC walker: the editions,
  the dependency tracker and the ledger filter it);
* :func:`claim_locations` — claim id -> the chapter pages that show its box;
* :func:`book_root` — the repository holding this copy of the library, or None when the library runs
  without the book (a downloaded notebook's embedded copy): then ``claim_locations()`` is empty.

Examples
--------
>>> root = book_root()
>>> root is None or (root / "_toc.yml").is_file()
True
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["toc_files", "page_title", "SHOW_CLAIM", "claim_locations", "book_root"]


def toc_files(root: Path) -> list[Path]:
    """Every page of ``root/_toc.yml`` that exists, in reading order, the root page first.

    The one walker of the TOC: the editions, the dependency tracker and the ledger filter it.
    """
    import yaml

    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf8"))
    entries: list[str] = [toc["root"]] if toc.get("root") else []

    def walk(items):
        for item in items or []:
            if "file" in item:
                entries.append(item["file"])
            walk(item.get("sections"))
            walk(item.get("chapters"))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    walk(toc.get("sections"))
    out = []
    for entry in entries:
        stem = root / entry
        for cand in ([stem] if stem.suffix in (".md", ".ipynb") else
                     [stem.with_name(stem.name + ".md"), stem.with_name(stem.name + ".ipynb")]):
            if cand.exists():
                out.append(cand)
                break
    return out


_HEADING = re.compile(r"^#\s+(?P<title>.+?)\s*$", re.M)


def page_title(path: Path) -> str:
    """The first ``# `` heading of a MyST page (its title), or the file's stem."""
    m = _HEADING.search(Path(path).read_text(encoding="utf8"))
    return m["title"] if m else Path(path).stem


#: A claim box in a chapter's code: ``show_claim("id")`` (any prefix, either quote).
SHOW_CLAIM = re.compile(r"""show_claim\(\s*(?P<q>["'])(?P<id>[\w.-]+)(?P=q)""")


def book_root() -> Path | None:
    """The repository holding this copy of the library (the folder with ``_toc.yml`` above the
    package), or None when the library is installed without the book."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "_toc.yml").is_file() and (parent / "lib" / "infobandwidth").is_dir():
            return parent
    return None


def claim_locations(root: Path | None = None) -> dict[str, list[tuple[str, str]]]:
    """Where each claim check is shown: claim id -> [(docname, page title), ...] in reading order.

    ``root`` defaults to :func:`book_root`; without a book (the library installed on its own) the
    result is empty.

    Only the chapters count (pages under ``book/part*/``); a teaching page that shows a box as an
    example does not make the claim "shown". The docname is the page's path relative to ``root``
    without its suffix, e.g. ``"book/part3/policy-gradient"``.
    """
    root = book_root() if root is None else Path(root)
    found: dict[str, list[tuple[str, str]]] = {}
    if root is None:
        return found
    for path in toc_files(root):
        rel = path.relative_to(root).with_suffix("").as_posix()
        if not re.match(r"book/part\d+/", rel):
            continue
        title = page_title(path)
        for m in SHOW_CLAIM.finditer(path.read_text(encoding="utf8")):
            places = found.setdefault(m["id"], [])
            if (rel, title) not in places:
                places.append((rel, title))
    return found
