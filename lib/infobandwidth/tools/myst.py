"""The one MyST scanner of the build tools: fences, directives, roles and glued values.

:mod:`infobandwidth.tools.editions` (student/instructor notebooks) and
:mod:`infobandwidth.tools.sphinx_site` (the site's ``.ipynb`` downloads) both read chapters written
in MyST Markdown. What they need to recognise — a code fence and the line that closes it, a
directive with its options, a role, a glued value — is scanned here, once.

Glued values. MyST-NB keeps the values a chapter glues (``glue("name", value, display=False)``) in
``_build/jupyter_execute/<doc>.glue.json`` (name → the value's display data), not in the executed
notebook. The static forms of a chapter (downloads, editions) fill every ``{glue:text}``,
``{glue}``, ``{glue:}``, ``{glue:any}`` and ``{eval}`glued("name", "fmt")``` role from there with
:func:`fill_glue`, formatted exactly as MyST-NB formats them on the site
(:func:`infobandwidth.book.glue.format_plain_text`: the text is read back as a Python literal, then
formatted with the role's format spec). A role whose key is not glued is an error
(:class:`GlueError`), never left as its name.

Examples
--------
>>> [(d.name, d.arg, d.options) for d in directives(":::{note} Hi\\n:class: tip\\nBody\\n:::")]
[('note', 'Hi', {'class': 'tip'})]
>>> fill_glue("H = {glue:text}`h:.3f` bits, n = {glue}`n`.", {"h": "2.321928", "n": "5"})
'H = 2.322 bits, n = 5.'
>>> fill_glue('H = {eval}`glued("h", ".2f")` bits.', {"h": "2.321928"})
'H = 2.32 bits.'
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from infobandwidth.book.glue import format_plain_text

__all__ = ["FENCE", "DIRECTIVE", "OPTION", "LABEL", "ROLE", "GLUE_ROLE", "GLUED_CALL",
           "CODE_DIRECTIVES",
           "Directive", "GlueError", "fence", "close_fence", "directives", "prose_lines",
           "map_prose", "glue_roles", "fill_glue", "read_glue",
           "glue_json_path", "toc_files", "page_title", "SHOW_CLAIM", "claim_locations", "book_root"]

#: An opening or closing fence (```, ~~~ or :::), with its indentation and info string.
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,}|~{3,})(?P<rest>.*)$")
#: The info string of a directive: ``{name} argument``.
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*)$")
#: An option line of a directive: ``:key: value``.
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*)$")
#: A target line: ``(label)=``.
LABEL = re.compile(r"^\s*\((?P<label>[\w:.-]+)\)=\s*$")
#: An inline role: ``{name}`text```.
ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<text>[^`]*)`")
#: A role that shows a glued value: ``{glue}``, ``{glue:}``, ``{glue:text}``, ``{glue:any}``,
#: ``{glue:md}``, or ``{eval}`` (whose expression must then be a :data:`GLUED_CALL`).
GLUE_ROLE = re.compile(r"\{(?P<role>glue(?::(?P<kind>[\w-]*))?|eval)\}`(?P<text>[^`]*)`")
#: The expression of ``{eval}`glued("key", "fmt")```: the value glued as key, formatted
#: (:func:`infobandwidth.book.glue.glued`; the site resolves it like ``{glue:text}`key:fmt```).
GLUED_CALL = re.compile(r"""^\s*glued\(\s*(?P<q>["'])(?P<key>[\w.-]+)(?P=q)\s*"""
                        r"""(?:,\s*(?P<q2>["'])(?P<fmt>[^"']*)(?P=q2)\s*)?\)\s*$""")
#: Directives whose body is code or math, not MyST text (no roles, no nested directives).
CODE_DIRECTIVES = frozenset({"code-cell", "code", "code-block", "sourcecode", "math", "prf:math",
                             "raw"})


def fence(line: str, max_indent: int | None = 3) -> re.Match | None:
    """The fence on ``line`` if there is one (at most ``max_indent`` spaces in; None: any).

    >>> fence("```{note}")["rest"], fence("    ```") is None, fence("    ```", None) is not None
    ('{note}', True, True)
    """
    m = FENCE.match(line)
    if m is None or (max_indent is not None and len(m["indent"]) > max_indent):
        return None
    return m


def close_fence(lines: list[str], i: int, opening: str, max_indent: int | None = 3) -> int:
    """Index of the line that closes the fence ``opening`` opened on line ``i`` (CommonMark rule:
    same character, at least as long, nothing after it); the last line if it is never closed."""
    char, n = opening[0], len(opening)
    for j in range(i + 1, len(lines)):
        m = fence(lines[j], max_indent)
        if m and m["fence"][0] == char and len(m["fence"]) >= n and not m["rest"].strip():
            return j
    return len(lines) - 1


@dataclass
class Directive:
    """A top-level directive of a Markdown text: ``{name} arg``, its options, and its line span."""

    name: str
    arg: str
    options: dict
    start: int          #: index of the opening fence line
    end: int            #: index of the closing fence line (the last line if it is never closed)
    body: str           #: the lines between the options and the closing fence


def directives(text: str) -> list[Directive]:
    """The top-level directives of a MyST Markdown text, in order (nested ones are not listed).

    Fenced code blocks are skipped whole, so a directive written inside one does not count.

    Examples
    --------
    >>> [(d.name, d.arg, d.options) for d in directives(
    ...     "```{exercise}\\n:label: ex-1\\nDo it.\\n```\\n\\n:::{admonition} Key takeaways\\n- a\\n:::")]
    [('exercise', '', {'label': 'ex-1'}), ('admonition', 'Key takeaways', {})]
    """
    lines = text.split("\n")
    out: list[Directive] = []
    i = 0
    while i < len(lines):
        m = fence(lines[i])
        if not m:
            i += 1
            continue
        end = close_fence(lines, i, m["fence"])
        d = DIRECTIVE.match(m["rest"].strip())
        if d:
            options, k = {}, i + 1
            while k < end and (o := OPTION.match(lines[k])):
                options[o["key"]] = o["value"].strip()
                k += 1
            out.append(Directive(d["name"], d["arg"].strip(), options, i, end,
                                 "\n".join(lines[k:end])))
        i = end + 1
    return out


def prose_lines(text: str) -> Iterator[tuple[int, bool]]:
    """``(index, is_prose)`` for every line of ``text``: False inside code and math blocks.

    A fence whose info string is not a directive (```` ```python ````), or a directive of
    :data:`CODE_DIRECTIVES`, holds code: its lines (fences included) are not prose. The fence lines
    of other directives are not prose either; their bodies are.

    >>> [p for _, p in prose_lines("a\\n```python\\n{glue}`x`\\n```\\n:::{note}\\nb\\n:::")]
    [True, False, False, False, False, True, False]
    """
    lines = text.split("\n")
    stack: list[str] = []  # open directive fences whose bodies are prose
    i = 0
    while i < len(lines):
        m = fence(lines[i], max_indent=None)
        if m and stack and m["fence"][0] == stack[-1][0] and len(m["fence"]) >= len(stack[-1]) \
                and not m["rest"].strip():
            stack.pop()
            yield i, False
            i += 1
            continue
        if m:
            d = DIRECTIVE.match(m["rest"].strip())
            if d and d["name"] not in CODE_DIRECTIVES:
                stack.append(m["fence"])
                yield i, False
                i += 1
                continue
            end = close_fence(lines, i, m["fence"], max_indent=None)
            for j in range(i, end + 1):
                yield j, False
            i = end + 1
            continue
        yield i, True
        i += 1


def map_prose(text: str, fn: Callable[[str], str]) -> str:
    """``text`` with ``fn`` applied to each of its prose lines (see :func:`prose_lines`)."""
    lines = text.split("\n")
    for i, is_prose in prose_lines(text):
        if is_prose:
            lines[i] = fn(lines[i])
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------
# Glued values
# ------------------------------------------------------------------------------------------------

class GlueError(ValueError):
    """A glue role that cannot be filled: its key was not glued, or its value does not format."""


def glue_roles(text: str) -> list[tuple[str, str, str]]:
    """``(kind, key, format spec)`` of every glue role in the prose of ``text``, in order.

    ``kind`` is ``"text"`` (``{glue:text}``, and ``{eval}`glued("key", "fmt")```), ``"any"``
    (``{glue}``, ``{glue:}``, ``{glue:any}``), ``"md"``, or ``"eval"`` for an ``{eval}`` of any
    other expression (``key`` is then the expression).

    >>> glue_roles("{glue:text}`a:.2f` and {glue}`b`, {glue:}`c`, {eval}`glued('d', 'd')`")
    [('text', 'a', '.2f'), ('any', 'b', ''), ('any', 'c', ''), ('text', 'd', 'd')]
    """
    out = []

    def collect(line: str) -> str:
        for m in GLUE_ROLE.finditer(line):
            out.append(_parse_glue_role(m))
        return line

    map_prose(text, collect)
    return out


def _parse_glue_role(m: re.Match) -> tuple[str, str, str]:
    text = m["text"].strip()
    if m["role"] == "eval":
        call = GLUED_CALL.match(text)
        if call is None:  # any other expression needs a kernel
            return "eval", text, ""
        return "text", call["key"], call["fmt"] or ""
    kind = m["kind"] or "any"
    if kind in ("text", "md"):  # as MyST-NB: the format spec is after the last colon
        key, _, fmt = text.rpartition(":") if ":" in text else (text, "", "")
        return kind, key, fmt
    return kind, text, ""


def _plain(value) -> str | None:
    """The ``text/plain`` of a glued value: a display-data dict, its ``data``, or the text itself."""
    if isinstance(value, dict):
        data = value.get("data", value)
        return data.get("text/plain")
    return None if value is None else str(value)


def fill_glue(text: str, values: dict, where: str = "") -> str:
    """``text`` with every glue role of its prose replaced by the glued value, formatted.

    The roles are ``{glue:text}`key:fmt```, ``{glue}`key``` (and ``{glue:}``, ``{glue:any}``,
    ``{glue:md}``) and ``{eval}`glued("key", "fmt")```.

    Parameters
    ----------
    text : str
        MyST Markdown (a cell's source).
    values : dict
        name → glued value: its ``text/plain`` string, or its display data as in ``<doc>.glue.json``
        (``{"data": {"text/plain": ...}}``).
    where : str
        Named in error messages (e.g. the chapter's path).

    Returns
    -------
    str
        The text, glue roles replaced (roles inside code blocks are left alone).

    Raises
    ------
    GlueError
        If a role names a key that is not in ``values``, or its value does not take the format.

    Examples
    --------
    >>> fill_glue("p = {glue:text}`p:.1%`", {"p": {"data": {"text/plain": "0.25"}}})
    'p = 25.0%'
    >>> fill_glue("{glue:text}`nope:d`", {"p": "1"}, where="ch.md")
    Traceback (most recent call last):
    ...
    infobandwidth.tools.myst.GlueError: ch.md: {glue:text}`nope:d` names the key 'nope', which the chapter does not glue (glued keys: p). Glue it in a remove-cell (glue("nope", value, display=False)), fix the role, or rebuild if the chapter changed since the last build.
    """
    prefix = f"{where}: " if where else ""

    def one(m: re.Match) -> str:
        kind, key, fmt = _parse_glue_role(m)
        if kind == "eval":
            raise GlueError(f"{prefix}{m.group(0)}: a static notebook cannot evaluate this; show a "
                            "computed number as {eval}`glued(\"key\", \"fmt\")` (glued with "
                            "glue(\"key\", value, display=False))")
        if key not in values:
            known = ", ".join(sorted(values)[:12]) + (", …" if len(values) > 12 else "")
            raise GlueError(
                f"{prefix}{m.group(0)} names the key {key!r}, which the chapter does not glue "
                f"(glued keys: {known or 'none'}). Glue it in a remove-cell "
                f"(glue(\"{key}\", value, display=False)), fix the role, or rebuild if the "
                "chapter changed since the last build.")
        if kind == "md":
            data = values[key].get("data", values[key]) if isinstance(values[key], dict) else {}
            if "text/markdown" not in data:
                raise GlueError(f"{prefix}{m.group(0)}: the value glued as {key!r} has no "
                                "text/markdown form (glue a Markdown object, or use {glue:text})")
            return str(data["text/markdown"])
        plain = _plain(values[key])
        if plain is None:
            raise GlueError(f"{prefix}{m.group(0)}: the value glued as {key!r} has no text/plain "
                            "form, which the static notebooks need")
        try:
            return format_plain_text(plain, fmt)
        except (ValueError, TypeError) as exc:
            raise GlueError(f"{prefix}{m.group(0)}: the value glued as {key!r} ({plain!r}) does "
                            f"not take the format {fmt!r}: {exc}") from None

    return map_prose(text, lambda line: GLUE_ROLE.sub(one, line))


def glue_json_path(build: Path, docname: str) -> Path:
    """Where MyST-NB keeps the glued values of ``docname`` (``book/part2/information-theory``):
    ``<build>/jupyter_execute/<docname>.glue.json``, ``build`` being the build folder (``_build``)."""
    return Path(build) / "jupyter_execute" / f"{docname}.glue.json"


def read_glue(path: Path) -> dict:
    """name → display data (``{"data": {"text/plain": ...}, ...}``) from a ``<doc>.glue.json``.

    Raises ``FileNotFoundError`` (with what to do) if the file does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: MyST-NB writes it when it executes the "
                                "chapter; build the book first (python3 run.py build)")
    data = json.loads(path.read_text(encoding="utf8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object name -> display data")
    return data


# The table of contents and where each claim is shown: in the book layer, because chapters (the
# ledger) use them too; re-exported here for the build tools.
from infobandwidth.book.sources import (  # noqa: E402
    SHOW_CLAIM,
    book_root,
    claim_locations,
    page_title,
    toc_files,
)
