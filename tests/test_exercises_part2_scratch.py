"""The exercises of §2.3–2.5 (information theory, data processing, measuring information).

The from-scratch exercises: the checker's solution (computed with the library) against the formulas
worked out by hand; the hints name the likely mistake; and the chapters' solutions use numpy only.
Every exercise title carries a difficulty label (CONTRIBUTING, anatomy item 11).
"""
import io
import re
from contextlib import redirect_stdout
from itertools import product
from pathlib import Path

import jupytext
import numpy as np
import pytest
from infobandwidth.book.exercises import check, data, get
from infobandwidth.tools.editions import exercises

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [ROOT / "book" / "part2" / f"{stem}.md"
            for stem in ("information-theory", "data-processing", "measuring-information")]
LEVELS = ("Warm-up: ", "Core: ", "Stretch: ")


def _H(p):
    """Entropy in bits of a probability array, straight from the definition."""
    p = np.asarray(p, dtype=float).ravel()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def _hb(q):
    return _H([q, 1 - q])


def _hint(eid, ans):
    buf = io.StringIO()
    with redirect_stdout(buf):
        check(eid, ans)
    return buf.getvalue()


def _titles(chapter: Path) -> dict[str, str]:
    """label -> title of every {exercise} directive of a chapter file."""
    text = chapter.read_text()
    return dict((label, title.strip()) for title, label in
                re.findall(r"^```\{exercise\}([^\n]*)\n:label: (\S+)", text, re.M))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_title_starts_with_a_difficulty(chapter):
    titles = _titles(chapter)
    assert len(titles) >= 3
    for label, title in titles.items():
        assert title.startswith(LEVELS), f"{chapter.name}, {label}: title {title!r} has no level"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_has_a_from_scratch_exercise_in_numpy_only(chapter):
    titles = _titles(chapter)
    scratch = [label for label, title in titles.items() if "from scratch" in title]
    assert scratch, f"{chapter.name}: no exercise titled '... from scratch ...'"
    by_label = {e.label: e for e in exercises(jupytext.read(chapter))}
    for label in scratch:
        e = by_label[label]
        assert e.stub is not None and e.check is not None and e.solution_code
        code = "\n".join(e.solution_code)
        assert "ib." not in code and "infobandwidth" not in code, (
            f"{chapter.name}, {label}: a from-scratch solution uses numpy only")
        assert "np." in code


def test_two_channels_against_the_closed_form():
    d = data("data-processing/two-channels")
    a, b = d["a"], d["b"]
    assert d["p_x"].tolist() == [0.5, 0.5]
    star = a * (1 - b) + b * (1 - a)
    # a fair bit through BSC(ε) keeps 1 − H_b(ε); two channels in a row are BSC(a ⋆ b)
    expected = (1 - _hb(a), 1 - _hb(star), star)
    assert get("data-processing/two-channels").solution() == pytest.approx(expected, abs=1e-12)
    assert expected[1] < expected[0]          # the data processing inequality, strictly here


def test_two_channels_hints():
    i_xy, i_xz, star = get("data-processing/two-channels").solution()
    d = data("data-processing/two-channels")
    assert "binary convolution" in _hint("data-processing/two-channels", (i_xy, i_xz, d["a"] * d["b"]))
    assert "W_a @ W_b" in _hint("data-processing/two-channels", (i_xy, i_xy, star))
    assert "not H_b" in _hint("data-processing/two-channels", (i_xy, 1 - i_xz, star))


def _new_information_by_hand(eps):
    d = data("measuring-information/new-information")
    strings = ["aa", "ab", "ba", "bb"]
    assert d["strings"] == strings
    # the learner writes a with probability 0.8 at each position
    p_tau = np.array([0.8 ** s.count("a") * 0.2 ** s.count("b") for s in strings])
    assert d["p_tau"] == pytest.approx(p_tau)
    joint = np.zeros((4, 4, 3))
    for (x, xs), (t, ts) in product(enumerate(strings), enumerate(strings)):
        count = (xs[0] == ts[0]) + (xs[1] == ts[1])
        for s in range(3):
            joint[x, t, s] = 0.25 * p_tau[t] * ((1 - eps) if s == count else eps / 2)
    # I(S; ξ) as the divergence of p(ξ, s) from p(ξ) p(s)
    p_xs = joint.sum(axis=1)
    prod_ = np.outer(p_xs.sum(axis=1), p_xs.sum(axis=0))
    i_xi = float(np.sum(p_xs * np.log2(p_xs / prod_)))
    # I(S; ξ | τ): average over t of the divergence of p(ξ, s | t) from its product of marginals
    i_xi_tau = 0.0
    for t in range(4):
        pt = joint[:, t, :] / joint[:, t, :].sum()
        i_xi_tau += p_tau[t] * float(np.sum(pt * np.log2(pt / np.outer(pt.sum(1), pt.sum(0)))))
    return i_xi, i_xi_tau


def test_new_information_against_a_brute_force():
    d = data("measuring-information/new-information")
    i_xi, i_xi_tau = _new_information_by_hand(d["eps"])
    assert get("measuring-information/new-information").solution() == pytest.approx(
        (i_xi, i_xi_tau), abs=1e-12)
    assert i_xi < i_xi_tau < np.log2(3)


def test_new_information_hints():
    i_xi, i_xi_tau = get("measuring-information/new-information").solution()
    assert "conditions on τ" in _hint("measuring-information/new-information", (i_xi_tau, i_xi_tau))
    assert "forgets τ" in _hint("measuring-information/new-information", (i_xi, i_xi))
    no_noise = _new_information_by_hand(0.0 + 1e-15)
    assert "without noise" in _hint("measuring-information/new-information", no_noise)
