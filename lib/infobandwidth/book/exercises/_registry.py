"""The registry behind :func:`check`: exercises, how answers are compared, and the hints."""
from __future__ import annotations

import difflib
import importlib
import math
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Exercise", "check", "data", "exercise_ids", "get", "register", "numbers_checker"]

#: A comparison returns ``None`` when the answer is right, otherwise the hint to print.
Compare = Callable[[Any, Any], "str | None"]


@dataclass(frozen=True)
class Exercise:
    """One self-checking exercise.

    Parameters
    ----------
    id : str
        ``"<chapter>/<exercise>"``, e.g. ``"information-theory/noisy-xor"``.
    section : str
        The section of the book it belongs to, e.g. ``"2.3"``.
    question : str
        The question in one sentence (shown by ``repr`` and in error messages).
    solution : callable
        ``solution() -> expected``; computed lazily with the library, never printed by :func:`check`.
    compare : callable
        ``compare(answer, expected) -> None | str``: ``None`` if right, else a hint that does not
        reveal ``expected``.
    data : callable, optional
        ``data() -> object`` the reader works on (a joint distribution, say); see :func:`data`.
    praise : str
        One sentence printed after a right answer: what the result teaches.
    """

    id: str
    section: str
    question: str
    solution: Callable[[], Any]
    compare: Compare
    data: Callable[[], Any] | None = None
    praise: str = ""


_REGISTRY: dict[str, Exercise] = {}
_LOADED = False


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry (called by the chapter modules at import time).

    Raises
    ------
    ValueError
        If the id is not of the form ``"<chapter>/<exercise>"`` or is already taken by another
        exercise.
    """
    if not isinstance(exercise.id, str) or exercise.id.count("/") != 1:
        raise ValueError(f"exercise id must look like 'chapter/exercise', got {exercise.id!r}")
    old = _REGISTRY.get(exercise.id)
    if old is not None and old is not exercise and old.question != exercise.question:
        raise ValueError(f"exercise id {exercise.id!r} is already registered; pick another id")
    _REGISTRY[exercise.id] = exercise
    return exercise


def _load_all() -> None:
    """Import every public module of this package once, so their exercises register."""
    global _LOADED
    if _LOADED:
        return
    from infobandwidth.book import exercises as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
    _LOADED = True


def exercise_ids() -> list[str]:
    """All registered exercise ids, sorted.

    Examples
    --------
    >>> "information-theory/noisy-xor" in exercise_ids()
    True
    """
    _load_all()
    return sorted(_REGISTRY)


def get(exercise_id: str) -> Exercise:
    """The :class:`Exercise` registered under ``exercise_id``.

    Raises
    ------
    ValueError
        If ``exercise_id`` is not a string or no exercise has that id; the message lists the
        closest known ids.
    """
    _load_all()
    if not isinstance(exercise_id, str):
        raise ValueError(f"exercise_id must be a string such as 'information-theory/noisy-xor', "
                         f"got {type(exercise_id).__name__}")
    try:
        return _REGISTRY[exercise_id]
    except KeyError:
        close = difflib.get_close_matches(exercise_id, list(_REGISTRY), n=3, cutoff=0.4)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"unknown exercise id {exercise_id!r}.{hint} "
                         f"Known ids: {', '.join(sorted(_REGISTRY))}.") from None


def data(exercise_id: str) -> Any:
    """The data an exercise asks you to work on (a fresh copy each call).

    Raises
    ------
    ValueError
        If the id is unknown or that exercise needs no data.

    Examples
    --------
    >>> data("data-processing/best-merge").shape
    (2, 4)
    """
    ex = get(exercise_id)
    if ex.data is None:
        raise ValueError(f"exercise {exercise_id!r} needs no data; read its statement in §{ex.section}")
    return ex.data()


def check(exercise_id: str, answer: Any) -> bool:
    """Say whether ``answer`` solves the exercise; if not, print a hint (never the solution).

    Parameters
    ----------
    exercise_id : str
        The id printed in the exercise, e.g. ``"information-theory/noisy-xor"``.
    answer : object
        Your answer, in the form the exercise asks for (a number, a tuple of numbers, ...).
        ``...`` or ``None`` means "not answered yet".

    Returns
    -------
    bool
        ``True`` if the answer is right.

    Raises
    ------
    ValueError
        If ``exercise_id`` is unknown (the message lists the known ids).

    Examples
    --------
    >>> check("information-theory/noisy-xor", (0.5, 0.5))
    Not yet: your first number, I(X;Z), is off. Marginalise Y out: p(x, z) = p_xyz.sum(axis=1); then I(X;Z) = H(X) + H(Z) − H(X, Z).
    False
    """
    ex = get(exercise_id)
    if answer is None or answer is Ellipsis:
        print("Not yet: replace `...` with your answer.")
        return False
    try:
        hint = ex.compare(answer, ex.solution())
    except Exception as exc:  # a malformed answer must give a hint, not a traceback
        hint = f"could not read your answer ({type(exc).__name__}: {exc})."
    if hint is None:
        print("Correct!" + (f" {ex.praise}" if ex.praise else ""))
        return True
    print(f"Not yet: {hint}")
    return False


# --------------------------------------------------------------------------------------------
# Building blocks for comparisons
# --------------------------------------------------------------------------------------------

def _as_numbers(answer: Any, n: int, names: Sequence[str]) -> "np.ndarray | str":
    """``answer`` as a float array of length ``n``, or a hint saying what shape is expected."""
    what = names[0] if n == 1 else f"{n} numbers, in this order: ({', '.join(names)})"
    if isinstance(answer, (str, bytes, dict, set)):
        return f"give {what}, not a {type(answer).__name__}."
    try:
        arr = np.asarray(answer, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return f"give {what}; could not turn a {type(answer).__name__} into numbers."
    if arr.size != n:
        return f"give {what}; you gave {arr.size} number{'s' if arr.size != 1 else ''}."
    if not np.all(np.isfinite(arr)):
        return ("your answer contains NaN or inf. A 0·log 0 term is 0 by convention: "
                "skip zero probabilities instead of taking their logarithm.")
    return arr


def numbers_checker(names: Sequence[str], atol: float = 1e-3,
                    item_hints: Sequence[str] | None = None,
                    extra: Callable[[np.ndarray, np.ndarray], "str | None"] | None = None,
                    information: bool = True) -> Compare:
    """A comparison for answers that are one number or a fixed-length tuple of numbers.

    The hints it gives, in order: wrong form; NaN/inf; a negative information; the numbers in nats
    instead of bits; the right numbers in the wrong order; whatever ``extra`` says; else the hint
    for the first wrong number (``item_hints``).

    Parameters
    ----------
    names : sequence of str
        What each number is, e.g. ``["I(X;Z)", "I(X;Z|Y)"]``; used in the hints.
    atol : float
        Absolute tolerance (answers rounded to 3 decimals pass).
    item_hints : sequence of str, optional
        One hint per number, shown when that number is the first wrong one.
    extra : callable, optional
        ``extra(answer, expected) -> None | str``, checked before the per-item hints.
    information : bool
        Whether the numbers are entropies or informations in bits (then a negative value, or a
        value in nats, earns its own hint).
    """
    names = list(names)
    n = len(names)
    item_hints = list(item_hints) if item_hints is not None else ["recheck it."] * n
    if len(item_hints) != n:
        raise ValueError(f"need one item hint per number: {n} names, {len(item_hints)} hints")

    def compare(answer: Any, expected: Any) -> "str | None":
        arr = _as_numbers(answer, n, names)
        if isinstance(arr, str):
            return arr
        exp = np.asarray(expected, dtype=float).reshape(-1)
        if np.allclose(arr, exp, atol=atol, rtol=0):
            return None
        if information and np.any(arr < -atol):
            return ("an entropy or mutual information is never negative; "
                    "check the sign in −Σ p log p, and that you subtract in the right order.")
        if (information and not np.allclose(exp, 0)
                and np.allclose(arr, exp * math.log(2), atol=atol, rtol=0)):
            return "these look like nats: use the base-2 logarithm (np.log2) to get bits."
        if n == 2 and np.allclose(arr[::-1], exp, atol=atol, rtol=0):
            return f"right numbers, wrong order: give ({', '.join(names)})."
        if extra is not None:
            msg = extra(arr, exp)
            if msg is not None:
                return msg
        for i in range(n):
            if not math.isclose(arr[i], exp[i], abs_tol=atol):
                which = f"your {_ordinal(i)} number, {names[i]}," if n > 1 else f"{names[i]}"
                return f"{which} is off. {item_hints[i]}"
        return "recheck your computation."  # pragma: no cover (allclose and isclose agree)

    return compare


def _ordinal(i: int) -> str:
    return ["first", "second", "third", "fourth", "fifth"][i] if i < 5 else f"#{i + 1}"
