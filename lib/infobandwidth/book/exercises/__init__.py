"""Self-checking coding exercises: ``check(exercise_id, answer)`` says right or not yet, with a hint.

A chapter's coding exercise ends with a line such as

>>> from infobandwidth.book.exercises import check
>>> check("information-theory/noisy-xor", ...)   # the reader replaces ... with their answer
Not yet: replace `...` with your answer.
False

``check`` prints whether the answer is right and, if it is not, a hint that points at the likely
mistake without giving the solution away; it returns ``True`` or ``False``. Exercises that need
data (a joint distribution to work on) hand it out through :func:`data`, so the chapter and the
checker read the same numbers.

One module per chapter registers that chapter's exercises with :func:`register`; every public module
of this package is imported the first time an exercise is looked up, so a new chapter only adds a
module here. Exercise ids are ``"<chapter>/<exercise>"``, for example ``"data-processing/best-merge"``.

Modules: ``central_question`` (Part 1), ``information_theory`` (§2.3), ``data_processing`` (§2.4).
"""
from __future__ import annotations

from infobandwidth.book.exercises._registry import (
    Exercise,
    check,
    data,
    exercise_ids,
    get,
    register,
)

__all__ = ["Exercise", "check", "data", "exercise_ids", "get", "register"]
