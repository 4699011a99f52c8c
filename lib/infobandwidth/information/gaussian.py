"""Entropies of Gaussian processes: the article's model of correlated TD errors (§3.2).

The article models the TD errors of an episode as an AR(1) process ``δ_t = ρ δ_{t-1} + ε_t``.
:func:`ar1_entropies` gives its exact differential entropies (joint, conditional, per step);
:func:`quantised_ar1` squeezes the stationary process into bins of a given width and bounds the
entropy rate of the quantised sequence from both sides, so that "correlation costs a factor of
2–5 in bits" can be checked at every resolution.

That is one reading of the article's factor. :func:`ar1_effective_samples` computes another: the
TD errors as noisy looks at one common quantity, the noise an AR(1) process, and the factor the
loss in the effective number of independent looks. :func:`ar1_shared_signal_information` gives
the same in bits, for a Gaussian common signal.
"""
from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from infobandwidth.base.numerics import entropy_bits, row_entropy_bits
from infobandwidth.base.validate import (
    check_int,
)

__all__ = [
    "ar1_entropies",
    "QuantisedAR1",
    "quantised_ar1",
    "ar1_correlation_sum",
    "ar1_effective_samples",
    "ar1_shared_signal_information",
]


# ============================================================================ correlated TD errors
def _check_rho(rho: Any) -> float:
    if isinstance(rho, bool) or not isinstance(rho, numbers.Real) or not -1 < rho < 1:
        raise ValueError(f"rho must be a correlation strictly between -1 and 1, got {rho!r}")
    return float(rho)


def ar1_entropies(rho: float, sigma: float = 1.0, T: int = 1) -> dict[str, float]:
    """Exact entropies of the stationary Gaussian AR(1) ``δ_t = ρ δ_{t-1} + ε_t``, ``ε_t ~ N(0, σ²)`` (§3.2).

    Differential entropies in bits: they depend on the unit in which δ is measured (rescaling δ by
    ``c`` adds ``log2 |c|`` to each).

    Parameters
    ----------
    rho : float
        In ``(-1, 1)``.
    sigma : float
        Standard deviation of the innovations, ``> 0``.
    T : int
        Length of the sequence for ``"h_joint"``.

    Returns
    -------
    dict
        ``"h_marginal"`` = ``h(δ_t) = ½ log2(2πe σ²/(1-ρ²))``; ``"h_rate"`` =
        ``h(δ_t | past) = ½ log2(2πe σ²)``; ``"redundancy"`` = ``I(δ_t; past) = -½ log2(1-ρ²)``;
        ``"h_joint"`` = ``h(δ_1, .., δ_T) = h(δ_1) + (T-1) h_rate``.

    Raises
    ------
    ValueError
        ``rho`` outside ``(-1, 1)``, ``sigma <= 0`` or ``T < 1``.

    Examples
    --------
    >>> e = ar1_entropies(0.7)
    >>> round(e["redundancy"], 4), round(e["h_marginal"] - e["h_rate"], 4)
    (0.4857, 0.4857)
    """
    rho = _check_rho(rho)
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not sigma > 0 or not math.isfinite(sigma):
        raise ValueError(f"sigma must be a positive number, got {sigma!r}")
    T = check_int(T, "T", 1, "a sequence has at least one step")
    rate = 0.5 * math.log2(2 * math.pi * math.e * sigma**2)
    red = -0.5 * math.log2(1 - rho**2)
    return {"h_marginal": rate + red, "h_rate": rate, "redundancy": red,
            "h_joint": rate + red + (T - 1) * rate}


_PHI_STEP = 1e-4
_PHI_MAX = 9.0


@functools.lru_cache(maxsize=1)
def _phi_table() -> np.ndarray:
    xs = np.arange(-_PHI_MAX, _PHI_MAX + _PHI_STEP / 2, _PHI_STEP)
    return np.array([0.5 * math.erfc(-x / math.sqrt(2)) for x in xs])


def _Phi(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF, by linear interpolation in a table (error below 1e-9)."""
    tab = _phi_table()
    x = np.asarray(x, dtype=np.float64)
    pos = (np.clip(x, -_PHI_MAX, _PHI_MAX) + _PHI_MAX) / _PHI_STEP
    i = np.minimum(pos.astype(np.int64), len(tab) - 2)
    f = pos - i
    out = tab[i] * (1 - f) + tab[i + 1] * f
    out = np.where(x <= -_PHI_MAX, 0.0, out)
    return np.where(x >= _PHI_MAX, 1.0, out)


@dataclass(frozen=True)
class QuantisedAR1:
    """Entropies of a stationary Gaussian AR(1) read at resolution Δ (§3.2), in bits.

    δ is scaled to unit marginal variance; ``Q_t`` is the index of the cell ``[kΔ, (k+1)Δ)``
    containing ``δ_t``. The entropy rate ``H(Q_t | Q_{<t})`` of the quantised sequence lies between
    ``H_rate_lower = H(Q_t | δ_{t-1})`` and ``H_rate_upper = H(Q_t | Q_{t-1})``.

    Attributes
    ----------
    rho, resolution : float
    H_marginal : float
        ``H(Q_t)``: bits per step if the steps were independent.
    H_rate_lower, H_rate_upper : float
        Bounds on the entropy rate: bits per step of the correlated sequence.
    n_cells : int
        Number of cells used (the tails beyond ``±span`` standard deviations go to the outer cells).
    """

    rho: float
    resolution: float
    H_marginal: float
    H_rate_lower: float
    H_rate_upper: float
    n_cells: int

    @property
    def factor_bounds(self) -> tuple[float, float]:
        """Bounds on the reduction factor ``H(Q_t) / H(Q_t | Q_{<t})`` (low, high)."""
        lo = self.H_marginal / self.H_rate_upper if self.H_rate_upper > 0 else math.inf
        hi = self.H_marginal / self.H_rate_lower if self.H_rate_lower > 0 else math.inf
        return lo, hi

    def joint_bounds(self, T: int) -> tuple[float, float]:
        """Bounds on ``H(Q_1, ..., Q_T)``: ``H(Q_1) + (T-1)·rate`` with the rate's two bounds."""
        T = check_int(T, "T", 1, "a sequence has at least one step")
        return (self.H_marginal + (T - 1) * self.H_rate_lower,
                self.H_marginal + (T - 1) * self.H_rate_upper)


def quantised_ar1(rho: float, resolution: float, *, span: float = 8.5) -> QuantisedAR1:
    """The AR(1) TD-error model at a finite resolution: marginal entropy and entropy-rate bounds (§3.2).

    δ has unit marginal variance (innovations ``ε_t ~ N(0, 1-ρ²)``); the quantiser has cells of
    width ``resolution`` (in marginal standard deviations) with an edge at 0. Integrals over the
    previous value use composite Simpson rules on a grid aligned with the cells, finer than both
    the cells and the innovation scale; the normal CDF comes from a table accurate to 1e-9.

    Parameters
    ----------
    rho : float
        In ``(-1, 1)``.
    resolution : float
        Cell width Δ in units of the marginal standard deviation, ``0.02 <= Δ <= 20``.
    span : float
        Cells cover ``[-span, span]`` (the mass outside, below 1e-16, joins the outer cells).

    Returns
    -------
    QuantisedAR1

    Raises
    ------
    ValueError
        ``rho`` outside ``(-1, 1)``, a resolution outside ``[0.02, 20]``, or ``|rho| > 0.999``
        (the innovation scale is then too fine for the grid).

    Examples
    --------
    At ρ = 0 the steps are independent: the rate bounds meet the marginal entropy (1 bit for the
    sign of δ at a coarse resolution).

    >>> q = quantised_ar1(0.0, 10.0)
    >>> round(q.H_marginal, 6), round(q.H_rate_lower, 6), round(q.H_rate_upper, 6)
    (1.0, 1.0, 1.0)
    >>> [round(x, 3) for x in quantised_ar1(0.7, 1.0).factor_bounds]
    [1.227, 1.26]
    """
    rho = _check_rho(rho)
    if abs(rho) > 0.999:
        raise ValueError(f"|rho| = {abs(rho)} > 0.999: the innovations are too narrow for this grid")
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Real) or not 0.02 <= resolution <= 20:
        raise ValueError(f"resolution must be a cell width between 0.02 and 20 standard deviations, got {resolution!r}")
    d = float(resolution)
    s = math.sqrt(1 - rho**2)
    K = int(math.ceil(span / d))
    edges = np.arange(-K, K + 1) * d  # cell k: [edges[k], edges[k+1])
    n_cells = 2 * K
    # marginal: outer cells absorb the tails
    cdf = _Phi(edges)
    cdf[0], cdf[-1] = 0.0, 1.0
    p_marg = np.diff(cdf)
    # grid on [-K d, K d], aligned with the cells, m (even) points per cell
    h_target = min(d / 2, s / 8, 0.05)
    m = int(math.ceil(d / h_target))
    m += m % 2
    h = d / m
    x = -K * d + h * np.arange(n_cells * m + 1)
    phi = np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)
    inner = edges[1:-1]
    C = _Phi((inner[None, :] - rho * x[:, None]) / s)  # P(δ_t < edge | δ_{t-1} = x)
    rows = np.diff(np.concatenate([np.zeros((len(x), 1)), C, np.ones((len(x), 1))], axis=1), axis=1)
    rows = np.clip(rows, 0.0, None)
    # Simpson weights on the whole grid
    wS = np.ones(len(x))
    wS[1:-1:2], wS[2:-1:2] = 4.0, 2.0
    wS *= h / 3
    f = wS * phi
    H_low = float((f * row_entropy_bits(rows)).sum() / f.sum())
    # joint p(Q_{t-1} = i, Q_t = j): Simpson within each cell i
    wc = np.ones(m + 1)
    wc[1:-1:2], wc[2:-1:2] = 4.0, 2.0
    wc *= h / 3
    idx = np.arange(n_cells)[:, None] * m + np.arange(m + 1)[None, :]
    joint = np.einsum("ik,ikj->ij", wc[None, :] * phi[idx], rows[idx])
    joint /= joint.sum()
    H_up = entropy_bits(joint) - entropy_bits(joint.sum(axis=1))
    H_m = entropy_bits(p_marg)
    H_up = min(max(H_up, H_low), H_m)
    return QuantisedAR1(rho=rho, resolution=d, H_marginal=H_m, H_rate_lower=min(H_low, H_up),
                        H_rate_upper=H_up, n_cells=n_cells)


# ============================================================================ a common mean in AR(1) noise
def ar1_correlation_sum(rho: float, T: int) -> float:
    """``Σ_{i,j} ρ^|i−j|`` over ``i, j = 1..T``: ``T²`` times the variance of the mean of ``T`` steps
    of a stationary AR(1) with unit marginal variance (§3.2).

    Closed form ``T(1+ρ)/(1−ρ) − 2ρ(1−ρ^T)/(1−ρ)²`` (sum the ``T − k`` pairs at lag ``k``).

    Parameters
    ----------
    rho : float
        In ``(-1, 1)``.
    T : int
        Number of steps, ``>= 1``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        ``rho`` outside ``(-1, 1)`` or ``T < 1``.

    Examples
    --------
    >>> ar1_correlation_sum(0.5, 2)          # 1 + 1 + 2·0.5
    3.0
    """
    rho = _check_rho(rho)
    T = check_int(T, "T", 1, "a sequence has at least one step")
    return T * (1 + rho) / (1 - rho) - 2 * rho * (1 - rho**T) / (1 - rho) ** 2


def ar1_effective_samples(rho: float, T: int) -> dict[str, float]:
    """How many independent looks ``T`` AR(1)-correlated looks at one common quantity are worth (§3.2).

    Model: ``δ_t = μ + η_t``, ``t = 1..T``, where ``μ`` is a quantity every step shares and ``η`` a
    stationary AR(1) noise with unit marginal variance, ``Corr(η_i, η_j) = ρ^|i−j|`` (matrix ``R``).
    With independent noise the ``T`` looks would be worth ``T``. Correlated, they are worth

    * ``n_eff_mean = T² / Σ_{i,j} ρ^|i−j|`` if ``μ`` is estimated by the plain average (its variance
      is ``1/n_eff_mean``, :func:`ar1_correlation_sum`);
    * ``n_eff_best = 1ᵀ R⁻¹ 1 = (T(1−ρ) + 2ρ)/(1+ρ)`` with the best linear estimator: the Fisher
      information about ``μ`` (``R⁻¹`` is tridiagonal).

    Both grow like ``T (1−ρ)/(1+ρ)``: the information per step is divided by
    ``(1+ρ)/(1−ρ)`` for long sequences (``n_eff_best`` is exactly linear in ``T`` with that slope).

    Parameters
    ----------
    rho : float
        In ``(-1, 1)``.
    T : int
        Number of steps, ``>= 1``.

    Returns
    -------
    dict
        ``"n_eff_mean"``, ``"n_eff_best"``; the reduction factors ``"factor_mean"`` = ``T /
        n_eff_mean`` and ``"factor_best"`` = ``T / n_eff_best``; ``"factor_limit"`` =
        ``(1+ρ)/(1−ρ)``, the factor per step as ``T → ∞``.

    Raises
    ------
    ValueError
        ``rho`` outside ``(-1, 1)`` or ``T < 1``.

    Examples
    --------
    >>> e = ar1_effective_samples(0.7, 100)
    >>> round(e["factor_limit"], 3), round(e["factor_best"], 3), round(e["factor_mean"], 3)
    (5.667, 5.414, 5.511)
    >>> ar1_effective_samples(0.7, 1)["n_eff_best"]
    1.0
    """
    rho = _check_rho(rho)
    T = check_int(T, "T", 1, "a sequence has at least one step")
    n_mean = T**2 / ar1_correlation_sum(rho, T)
    n_best = (T * (1 - rho) + 2 * rho) / (1 + rho)
    return {"n_eff_mean": n_mean, "n_eff_best": n_best, "factor_mean": T / n_mean,
            "factor_best": T / n_best, "factor_limit": (1 + rho) / (1 - rho)}


def ar1_shared_signal_information(rho: float, T: int, snr: float) -> dict[str, float]:
    """Bits that ``T`` looks in AR(1) noise tell about a Gaussian common signal, against independent noise (§3.2).

    Model of :func:`ar1_effective_samples` with ``μ ~ N(0, snr)`` (noise of unit variance):
    ``I(μ; δ_1..δ_T) = ½ log2(1 + snr · 1ᵀR⁻¹1)`` (the determinant lemma), against
    ``½ log2(1 + snr · T)`` with independent noise. At low ``snr`` the ratio tends to
    ``T / n_eff_best``; at high ``snr`` it tends to 1, because both grow like ``½ log2 snr``.

    Parameters
    ----------
    rho : float
        In ``(-1, 1)``.
    T : int
        Number of steps, ``>= 1``.
    snr : float
        Variance of the signal over the variance of the noise, ``> 0``.

    Returns
    -------
    dict
        ``"I_correlated"``, ``"I_independent"`` (bits) and ``"ratio"`` = their quotient
        (independent over correlated).

    Raises
    ------
    ValueError
        ``rho`` outside ``(-1, 1)``, ``T < 1`` or ``snr`` not a positive finite number.

    Examples
    --------
    >>> i = ar1_shared_signal_information(0.0, 3, 1.0)
    >>> i["I_correlated"] == i["I_independent"] == 1.0
    True
    """
    if isinstance(snr, bool) or not isinstance(snr, numbers.Real) or not snr > 0 or not math.isfinite(snr):
        raise ValueError(f"snr must be a positive number (signal variance / noise variance), got {snr!r}")
    e = ar1_effective_samples(rho, T)
    i_corr = 0.5 * math.log2(1 + snr * e["n_eff_best"])
    i_ind = 0.5 * math.log2(1 + snr * T)
    return {"I_correlated": i_corr, "I_independent": i_ind, "ratio": i_ind / i_corr}
