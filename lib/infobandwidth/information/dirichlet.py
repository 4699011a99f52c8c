"""What observed draws tell about an unknown categorical distribution with a Dirichlet prior (§4.7).

Used in §4.7 (agentic RL), where each transition distribution ``P(· | s, a)`` of an MDP is unknown
and has a Dirichlet prior. Everything here is about one categorical distribution ``q`` (one row
``P(· | s, a)``) on ``|𝒮|`` outcomes (the next states) with ``q ~ Dirichlet(α)``,
``α = (α_1, ..., α_|𝒮|) > 0``, ``A = Σ α_j``:

* :func:`dirichlet_expected_entropy` — ``E[H(q)]``, in closed form with the digamma function ψ:
  ``E[H(q)] = (ψ(A + 1) − Σ_j (α_j / A) ψ(α_j + 1)) / ln 2`` bits;
* :func:`dirichlet_information_gain` — ``I(x; q)`` for one draw ``x ~ q``: the entropy of the
  predictive ``α / A`` minus ``E[H(q)]``. It is below ``log2 |𝒮|`` and tends to it only as every
  ``α_j → 0``. With a symmetric prior, every ``α_j`` equal to one common concentration ``α₀``, it is
  ``log2 |𝒮| − (ψ(|𝒮| α₀ + 1) − ψ(α₀ + 1)) / ln 2``;
* :func:`dirichlet_accumulated_information` — ``I(x_1, ..., x_N; q)`` for ``N = N_{s,a}`` draws
  (the observations of one pair), exactly, by the chain rule: the ``(i+1)``-th draw adds the expected
  gain under the posterior ``Dirichlet(α + counts)``, averaged over the counts of the first ``i``
  draws (a Dirichlet-multinomial). It grows like ``(|𝒮| − 1)/2 · log2 N_{s,a}``, not linearly;
* :func:`dirichlet_information_asymptote` — the Clarke–Barron expansion of that growth,
  ``(|𝒮| − 1)/2 · log2(N_{s,a} / 2πe) + log2 B(α) − Σ_j (α_j − ½)(ψ(α_j) − ψ(A)) / ln 2``.

Here ``α`` is the vector of a row's parameters (``α_{s,a}`` in the book) and ``α₀`` the common value of
a symmetric prior; a plain α is the learning rate in the book. The digamma function is computed here (:func:`digamma`) so the package needs only numpy; the tests
check it against ``scipy.special.digamma``.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from infobandwidth.base.numerics import row_entropy_bits
from infobandwidth.base.validate import as_array, check_enumerable, check_int

__all__ = [
    "MAX_COUNT_CELLS",
    "digamma",
    "check_concentration",
    "dirichlet_expected_entropy",
    "dirichlet_information_gain",
    "dirichlet_accumulated_information",
    "dirichlet_information_asymptote",
]

#: Largest table of count vectors :func:`dirichlet_accumulated_information` keeps,
#: ``(n + 1)^(|𝒮| − 1)`` for ``n`` draws and ``|𝒮|`` outcomes.
MAX_COUNT_CELLS = 5_000_000

_LN2 = math.log(2.0)
_SHIFT = 8.0  # the asymptotic series of ψ is used from this argument on
# Bernoulli-number coefficients of ψ(x) ~ ln x − 1/(2x) − Σ B_2j / (2j x^2j)
_PSI_SERIES = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12)


def digamma(x: Any) -> np.ndarray:
    """The digamma function ψ(x) = Γ'(x)/Γ(x) for real ``x > 0``, elementwise (float64).

    Uses ψ(x) = ψ(x + 1) − 1/x up to ``x ≥ 8`` and then the asymptotic series; the error is below
    ``1e-14`` relative.

    Parameters
    ----------
    x : array_like
        Positive finite numbers.

    Returns
    -------
    numpy.ndarray
        ψ(x), of ``x``'s shape.

    Raises
    ------
    ValueError
        If an entry is not a positive finite number.

    Examples
    --------
    >>> round(float(digamma(1.0)), 12)        # −γ, the Euler–Mascheroni constant
    -0.577215664902
    >>> round(float(digamma(2.0) - digamma(1.0)), 12)
    1.0
    """
    z = as_array(x, name="x", min_ndim=0)
    if not np.all(np.isfinite(z)) or np.any(z <= 0):
        raise ValueError("digamma needs positive finite arguments (Dirichlet parameters α > 0); "
                         f"got min {float(np.min(z)):.6g}")
    z = z.copy()
    acc = np.zeros_like(z)
    while True:
        small = z < _SHIFT
        if not small.any():
            break
        acc[small] -= 1.0 / z[small]
        z[small] += 1.0
    inv2 = 1.0 / (z * z)
    series = np.zeros_like(z)
    for c in reversed(_PSI_SERIES):
        series = (series + c) * inv2
    return acc + np.log(z) - 0.5 / z - series


def check_concentration(alpha: Any, *, name: str = "alpha") -> np.ndarray:
    """Dirichlet parameters: a float array whose last axis has at least 2 positive finite entries.

    Examples
    --------
    >>> check_concentration([1, 1, 2]).tolist()
    [1.0, 1.0, 2.0]
    >>> check_concentration([1, 0])
    Traceback (most recent call last):
        ...
    ValueError: alpha must be positive and finite (Dirichlet concentrations); got 0 at index (1,): use e.g. alpha = 1 for a uniform prior on the simplex
    """
    a = as_array(alpha, name=name, min_ndim=1)
    if a.shape[-1] < 2:
        raise ValueError(f"{name} needs at least 2 outcomes on its last axis, got shape {a.shape}; "
                         "a distribution on one outcome is known without data")
    bad = ~np.isfinite(a) | (a <= 0)
    if bad.any():
        k = np.unravel_index(int(np.flatnonzero(bad)[0]), a.shape)
        raise ValueError(f"{name} must be positive and finite (Dirichlet concentrations); got "
                         f"{float(a[k]):g} at index {tuple(int(i) for i in k)}: use e.g. {name} = 1 "
                         "for a uniform prior on the simplex")
    return a


def dirichlet_expected_entropy(alpha: Any) -> np.ndarray | float:
    """``E[H(q)]`` in bits for ``q ~ Dirichlet(α)``, along the last axis of ``alpha``.

    Parameters
    ----------
    alpha : array_like, shape (..., |𝒮|)
        Dirichlet parameters, at least 2 outcomes, all positive.

    Returns
    -------
    float or numpy.ndarray of shape ``alpha.shape[:-1]``

    Examples
    --------
    A uniform prior on a coin's bias: E[H_b(q)] = 1/(2 ln 2) bits.

    >>> round(dirichlet_expected_entropy([1, 1]), 6), round(1 / (2 * math.log(2)), 6)
    (0.721348, 0.721348)
    """
    a = check_concentration(alpha)
    A = a.sum(axis=-1)
    nats = digamma(A + 1) - (a / A[..., None] * digamma(a + 1)).sum(axis=-1)
    out = nats / _LN2
    return float(out) if out.ndim == 0 else out


def dirichlet_information_gain(alpha: Any) -> np.ndarray | float:
    """``I(x; q)`` in bits: what one draw ``x ~ q`` tells about ``q ~ Dirichlet(α)``.

    It is ``H(α / A) − E[H(q)]``: the entropy of the predictive distribution of ``x`` minus the
    entropy ``x`` would still have if ``q`` were known. With ``|𝒮|`` outcomes it lies in
    ``(0, log2 |𝒮|)``; for a symmetric prior, all ``α_j = α₀``, it is
    ``log2 |𝒮| − (ψ(|𝒮| α₀ + 1) − ψ(α₀ + 1)) / ln 2``.

    Parameters
    ----------
    alpha : array_like, shape (..., |𝒮|)
        Dirichlet parameters (prior, or prior plus counts: a posterior).

    Returns
    -------
    float or numpy.ndarray of shape ``alpha.shape[:-1]``

    Examples
    --------
    >>> round(dirichlet_information_gain([1, 1]), 6)           # 1 − 1/(2 ln 2)
    0.278652
    >>> round(dirichlet_information_gain([1e-6, 1e-6]), 4)      # α₀ → 0: near log2 2 = 1
    1.0
    >>> round(dirichlet_information_gain([101, 101]), 6)        # ≈ (|𝒮|−1)/(2 A ln 2), 200 draws
    0.003562
    """
    a = check_concentration(alpha)
    A = a.sum(axis=-1)
    out = row_entropy_bits(a / A[..., None]) - np.asarray(dirichlet_expected_entropy(a))
    out = np.maximum(out, 0.0)
    return float(out) if out.ndim == 0 else out


def _psi_table(a: float, n: int) -> np.ndarray:
    """ψ(a + c + 1) for the counts c = 0..n."""
    return digamma(a + 1.0 + np.arange(n + 1))


def dirichlet_accumulated_information(alpha: Any, n: int) -> np.ndarray:
    """``I(x_1..x_N; q)`` in bits for ``N = 0..n`` draws from ``q ~ Dirichlet(α)``, exactly.

    ``N`` is the number of observations ``N_{s,a}`` of one pair in §4.7. The chain rule:
    ``I(x_1..x_N; q) = Σ_{i<N} E[ I(x_{i+1}; q | x_1..x_i) ]``, and given the first ``i`` draws the
    posterior is ``Dirichlet(α + counts)``, so the ``i``-th term is
    :func:`dirichlet_information_gain` ``(α + counts)`` averaged over the Dirichlet-multinomial
    distribution of the counts. The counts are enumerated, so the result is exact.

    Parameters
    ----------
    alpha : array_like, shape (|𝒮|,)
        Dirichlet parameters of the prior.
    n : int
        Largest number of draws ``N_{s,a}``.

    Returns
    -------
    numpy.ndarray, shape (n + 1,)
        Entry ``N`` is the information of ``N`` draws: it starts at 0 and increases like
        ``(|𝒮| − 1)/2 · log2 N``, without bound but ever more slowly.

    Raises
    ------
    ValueError
        If the table of count vectors, ``(n + 1)^(|𝒮| − 1)`` cells, exceeds :data:`MAX_COUNT_CELLS`.

    Examples
    --------
    >>> curve = dirichlet_accumulated_information([1, 1], 3)
    >>> [round(float(v), 4) for v in curve]
    [0.0, 0.2787, 0.4756, 0.6284]
    """
    a = check_concentration(alpha)
    if a.ndim != 1:
        raise ValueError(f"alpha must be one vector of concentrations (one per outcome), got shape "
                         f"{a.shape}")
    n = check_int(n, "n", 0, "the number of draws is a non-negative integer")
    k = a.size
    check_enumerable((n + 1) ** (k - 1), MAX_COUNT_CELLS, f"the table of count vectors "
                     f"(n+1)^(outcomes-1) for {k} outcomes and n = {n} draws", "fewer draws or fewer outcomes, or "
                     "dirichlet_information_asymptote for large n")
    A = float(a.sum())
    psi = [_psi_table(float(a[j]), n) for j in range(k)]
    prob = np.zeros((1,) * (k - 1))
    prob[(0,) * (k - 1)] = 1.0          # before any draw: all counts 0
    out = np.zeros(n + 1)
    for m in range(n):
        # the count vectors of m draws: the first k-1 counts index `prob` (each 0..m), the last is m − Σ
        grids = np.indices(prob.shape)
        last = m - grids.sum(axis=0)
        valid = (last >= 0) & (prob > 0)
        cs = [g[valid] for g in grids] + [last[valid]]
        w = prob[valid]
        post = [a[j] + cs[j] for j in range(k)]
        total = A + m
        mean_h = -sum((pj / total) * np.log(pj / total) for pj in post)
        expected_h = digamma(total + 1.0) - sum((post[j] / total) * psi[j][cs[j]] for j in range(k))
        out[m + 1] = out[m] + float(w @ np.maximum(mean_h - expected_h, 0.0)) / _LN2
        # the next draw: outcome j with probability (α_j + c_j)/(A + m)
        new = np.zeros((m + 2,) * (k - 1))
        new[(slice(0, m + 1),) * (k - 1)] = prob * ((a[k - 1] + np.maximum(last, 0)) / total)
        for j in range(k - 1):
            dst = [slice(0, m + 1)] * (k - 1)
            dst[j] = slice(1, m + 2)
            new[tuple(dst)] += prob * ((a[j] + grids[j]) / total)
        prob = new
    return out


def dirichlet_information_asymptote(alpha: Any, n: Any) -> np.ndarray | float:
    """The large-``N`` expansion of ``I(x_1..x_N; q)`` in bits (Clarke and Barron, 1990).

    ``(|𝒮| − 1)/2 · log2(N / (2πe)) + [ln B(α) − Σ_j (α_j − ½)(ψ(α_j) − ψ(A))] / ln 2``, where
    ``B(α) = Π Γ(α_j) / Γ(A)`` and ``N = N_{s,a}`` is the number of draws. The error is ``o(1)``.

    Parameters
    ----------
    alpha : array_like, shape (|𝒮|,)
        Dirichlet parameters of the prior.
    n : int or array_like
        Numbers of draws ``N_{s,a}``, positive.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    Uniform prior on a coin (two outcomes): ½ log2(N/2πe) + 1/ln 2.

    >>> round(dirichlet_information_asymptote([1, 1], 1000), 4)
    4.3785
    """
    a = check_concentration(alpha)
    if a.ndim != 1:
        raise ValueError(f"alpha must be one vector of concentrations (one per outcome), got shape "
                         f"{a.shape}")
    nn = as_array(n, name="n", min_ndim=0)
    if np.any(nn <= 0) or not np.all(np.isfinite(nn)):
        raise ValueError("n must be positive numbers of draws")
    k = a.size
    A = float(a.sum())
    log_beta = sum(math.lgamma(float(x)) for x in a) - math.lgamma(A)
    const = log_beta - float(((a - 0.5) * (digamma(a) - digamma(A))).sum())
    out = (k - 1) / 2 * np.log2(nn / (2 * math.pi * math.e)) + const / _LN2
    return float(out) if out.ndim == 0 else out
