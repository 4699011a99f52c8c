"""The experiments of §4.1 (the unified comparison, ``book/part4/comparison.md``): the article's table,
generated.

The article's §4.1 puts policy gradient and actor-critic side by side: one return per episode, worth
``O(1)`` bits, against one TD error per token, worth ``O(T)`` bits. This module computes that table on
one exact instance with the Part 3 library, and how each row grows with the horizon ``T``.

The instance
------------
**Match count** with a uniform prior over the hidden strings of ``T`` tokens from a vocabulary of
``|V|`` tokens, a uniform behaviour policy (the start of learning) and, for actor-critic, a critic
held fixed during the episode (random values, seeded: a critic that depends on nothing). Two rewards
define the same task:

* **sparse**: the share of matching tokens, paid at the end and read by a grader in ``B`` levels
  (:func:`~infobandwidth.model.rewards.match_count` with ``levels=min(B, T+1)``);
* **dense**: ``1/T`` for every matching token, paid as it is written (the dense version of
  ``match_count`` with all ``T+1`` levels), a reward that depends on ξ at every token.

The four rows (:data:`ROWS`) cross the two algorithms with the two rewards:

========== ====================== ====== ================================================
key        algorithm              reward learning signal
========== ====================== ====== ================================================
pg-return  REINFORCE              sparse the return ``G``
pg-rtg     REINFORCE, reward-to-go dense  the rewards-to-go ``G_t = Σ_{k>=t} r_k``
ac-sparse  actor-critic           sparse the TD errors ``δ_t``, critic fixed
ac-dense   actor-critic           dense  the TD errors ``δ_t``, critic fixed
========== ====================== ====== ================================================

For each the **potential** bits per episode ``H(S)`` and the **new** bits per episode,
``I(S; ξ | τ, critic)`` (what the episode teaches a learner that knows its trajectory and its
critic). Computed by :func:`~infobandwidth.signals.bandwidth.signal_bandwidth` and
:func:`~infobandwidth.signals.td.td_information`.

Closed forms
------------
On this instance every number has a closed form (:func:`closed_form`), derived in the chapter with
sympy and checked against the enumeration in ``tests/test_comparison.py``. With ``K`` the number of
matching tokens, ``K ~ Binomial(T, 1/|V|)`` whatever the trajectory, ``h`` the binary entropy and
``Q_B`` the grader's levels:

* REINFORCE, return: potential = new = ``H(Q_B(K))``;
* REINFORCE, rewards-to-go (dense): potential = new = ``T h(1/|V|)``;
* actor-critic, sparse: potential ``(T-1) log2 |V| + H(Q_B(K))``, new ``H(Q_B(K))``;
* actor-critic, dense: potential ``(T-1) log2 |V| + T h(1/|V|)``, new ``T h(1/|V|)``.

(The TD errors of a generic fixed critic reveal the first ``T-1`` tokens, hence the ``log2 |V|`` per
token of potential; the trajectory is not news to the learner who wrote it.) :func:`ratios` turns
them into the article's "× more bandwidth" at any ``T``, e.g. the ``T = 1000`` of §4.1.
"""
from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from infobandwidth.base.numerics import entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import check_int, rng_from_seed
from infobandwidth.information.measures import binary_entropy
from infobandwidth.information.quantise import count_levels
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import match_count
from infobandwidth.signals.bandwidth import signal_bandwidth
from infobandwidth.signals.signals import ReturnSignal
from infobandwidth.signals.td import RewardToGoSignal, td_information

__all__ = [
    "ROWS",
    "RowSpec",
    "TABLE_INSTANCE",
    "GROWTH_T",
    "ARTICLE_T",
    "ARTICLE_LEVELS",
    "ComparisonRow",
    "ComparisonTable",
    "fixed_critic",
    "row_numbers",
    "comparison_table",
    "growth",
    "quantised_binomial_bits",
    "closed_form",
    "ratios",
]


@dataclass(frozen=True)
class RowSpec:
    """One row of the article's table: an algorithm, the reward it is given and what it observes."""

    key: str
    algorithm: str
    reward: str
    signal: str
    #: what the article's table says about this kind of signal (potential, effective)
    article: tuple[str, str]


#: The four rows, in table order.
ROWS = (
    RowSpec("pg-return", "REINFORCE", "sparse", "return G", ("O(1)", "≤ O(1)")),
    RowSpec("pg-rtg", "REINFORCE, reward-to-go", "dense", "rewards-to-go G_t", ("O(1)", "≤ O(1)")),
    RowSpec("ac-sparse", "actor-critic", "sparse", "TD errors δ_t, critic fixed", ("O(T)", "≤ O(T)")),
    RowSpec("ac-dense", "actor-critic", "dense", "TD errors δ_t, critic fixed", ("O(T)", "≤ O(T)")),
)
_SPEC = {r.key: r for r in ROWS}

#: The instance of the chapter's table: vocabulary, horizon, levels of the sparse grader.
TABLE_INSTANCE = {"V": 2, "T": 5, "B": 4}
#: The horizons enumerated exactly for the growth figure (the dense TD errors of T = 6 already take
#: about 13 s in the exact engine, T = 8 over 30 s).
GROWTH_T = (1, 2, 3, 4, 5)
#: The article's horizon in §4.1, and the grader levels behind its "1–4 bits" (log2 B = 1 .. 4).
ARTICLE_T = 1000
ARTICLE_LEVELS = (2, 4, 8, 16)
#: The seed of the fixed critic.
CRITIC_SEED = 0


def _check_row(key: str) -> RowSpec:
    if key not in _SPEC:
        raise ValueError(f"unknown row {key!r}; the rows are {', '.join(_SPEC)}")
    return _SPEC[key]


def _check_instance(V: int, T: int, B: int) -> tuple[int, int, int]:
    V = check_int(V, "V", 2, "a vocabulary has at least 2 tokens")
    T = check_int(T, "T", 1, "an episode has at least 1 token")
    B = check_int(B, "B", 2, "a grader distinguishes at least 2 levels")
    return V, T, B


def fixed_critic(mdp: TokenMDP, seed: int = CRITIC_SEED) -> np.ndarray:
    """A critic that depends on nothing: one standard normal value per prefix, seeded (§4.1).

    Its values are distinct, so its TD errors reveal every token but the last (a *generic* critic).

    Parameters
    ----------
    mdp : TokenMDP
    seed : int

    Returns
    -------
    numpy.ndarray, shape (mdp.n_prefixes,)

    Raises
    ------
    ValueError
        If ``mdp`` is not a TokenMDP or the seed is invalid.

    Examples
    --------
    >>> fixed_critic(TokenMDP(2, 2)).shape
    (3,)
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    return rng_from_seed(seed).normal(size=mdp.n_prefixes)


@dataclass(frozen=True)
class ComparisonRow:
    """The numbers of one row of the table, in bits per episode (§4.1).

    Attributes
    ----------
    key, algorithm, reward, signal : str
        As in :data:`ROWS`.
    V, T, B : int
        The instance.
    potential : float
        ``H(S)``.
    new : float
        ``I(S; ξ | τ, critic)`` (no critic for REINFORCE): what the episode teaches.
    n_values : int
        Number of distinct values of the signal.
    article : tuple of str
        The article's entries (potential, effective) for this kind of signal.
    """

    key: str
    algorithm: str
    reward: str
    signal: str
    V: int
    T: int
    B: int
    potential: float
    new: float
    n_values: int
    article: tuple[str, str]


def row_numbers(key: str, V: int, T: int, B: int, seed: int = CRITIC_SEED) -> ComparisonRow:
    """Compute one row of the table exactly, by enumeration (§4.1).

    Parameters
    ----------
    key : str
        One of the keys of :data:`ROWS`.
    V, T : int
        Vocabulary size and horizon.
    B : int
        Levels of the sparse grader (``>= 2``; above ``T+1`` every count is its own level).
    seed : int
        Seed of the fixed critic (:func:`fixed_critic`).

    Returns
    -------
    ComparisonRow

    Raises
    ------
    ValueError
        An unknown row, an invalid instance, or an instance too large to enumerate.

    Examples
    --------
    >>> r = row_numbers("ac-dense", 2, 3, 2)
    >>> round(r.potential, 6), round(r.new, 6)            # (T-1) + T and T
    (5.0, 3.0)
    """
    spec = _check_row(key)
    V, T, B = _check_instance(V, T, B)
    mdp = TokenMDP(V, T)
    if spec.reward == "sparse":
        family = match_count(mdp, levels=min(B, T + 1))
    else:
        family = match_count(mdp)
    if key == "pg-return":
        b = signal_bandwidth(family, ReturnSignal())
        potential, new, n = b.H_S, b.I_S_xi_given_tau, b.n_values
    elif key == "pg-rtg":
        b = signal_bandwidth(family, RewardToGoSignal(dense=True))
        potential, new, n = b.H_S, b.I_S_xi_given_tau, b.n_values
    else:
        info = td_information(family, fixed_critic(mdp, seed), dense=spec.reward == "dense")
        potential, new, n = info.td.H_S, info.I_td_given_critic, info.td.n_values
    return ComparisonRow(key, spec.algorithm, spec.reward, spec.signal, V, T, B, float(potential),
                         float(new), int(n), spec.article)


@dataclass(frozen=True)
class ComparisonTable:
    """The article's §4.1 table, computed: one :class:`ComparisonRow` per row of :data:`ROWS`.

    ``verdicts`` (row key → verdict text) is filled by the chapter from the claim checks; the HTML
    table shows it in the last column.
    """

    V: int
    T: int
    B: int
    rows: tuple[ComparisonRow, ...]
    verdicts: tuple[tuple[str, str], ...] = ()

    def row(self, key: str) -> ComparisonRow:
        """The row with this key."""
        _check_row(key)
        return next(r for r in self.rows if r.key == key)

    def with_verdicts(self, verdicts: dict[str, str]) -> "ComparisonTable":
        """The same table with a verdict column (row key → text)."""
        unknown = set(verdicts) - {r.key for r in self.rows}
        if unknown:
            raise ValueError(f"verdicts for unknown rows {sorted(unknown)}")
        return ComparisonTable(self.V, self.T, self.B, self.rows, tuple(verdicts.items()))

    def _repr_html_(self) -> str:
        verdicts = dict(self.verdicts)
        heads = ["algorithm", "reward", "learning signal", "article: potential / effective",
                 "potential H(S)", "new I(S;ξ|τ,critic)"] + (["claim check"] if verdicts else [])
        body = []
        for r in self.rows:
            cells = [html.escape(r.algorithm), r.reward, html.escape(r.signal),
                     html.escape(" / ".join(r.article)), f"{r.potential:.3f}", f"{r.new:.3f}"]
            if verdicts:
                cells.append(html.escape(verdicts.get(r.key, "")))
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        caption = (f"<caption>bits per episode; match count, |V| = {self.V}, T = {self.T}, sparse reward "
                   f"graded in B = {self.B} levels, uniform prior and policy</caption>")
        return (_TABLE_STYLE + '<div style="overflow-x:auto"><table class="ib-cmp-table">' + caption
                + "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
                + "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>")


_TABLE_STYLE = (
    "<style>.ib-cmp-table{font-size:.82em;border-collapse:collapse;margin:.5em 0}"
    ".ib-cmp-table th,.ib-cmp-table td{padding:.15em .45em;text-align:right;"
    "border-bottom:1px solid #ddd;vertical-align:bottom}"
    ".ib-cmp-table td:nth-child(-n+4),.ib-cmp-table th:nth-child(-n+4){text-align:left}"
    ".ib-cmp-table caption{caption-side:bottom;font-size:.9em;text-align:left;padding-top:.3em}</style>"
)


@functools.lru_cache(maxsize=16)
def comparison_table(V: int = TABLE_INSTANCE["V"], T: int = TABLE_INSTANCE["T"],
                     B: int = TABLE_INSTANCE["B"], seed: int = CRITIC_SEED) -> ComparisonTable:
    """The four rows of :data:`ROWS` on one instance (cached: the chapter, its claims and its demo
    share it).

    Parameters
    ----------
    V, T, B, seed
        As for :func:`row_numbers`.

    Returns
    -------
    ComparisonTable

    Examples
    --------
    >>> t = comparison_table(2, 3, 2)
    >>> [round(r.new, 3) for r in t.rows]
    [1.0, 3.0, 1.0, 3.0]
    """
    V, T, B = _check_instance(V, T, B)
    return ComparisonTable(V, T, B, tuple(row_numbers(r.key, V, T, B, seed) for r in ROWS))


def growth(T_values: Sequence[int] = GROWTH_T, V: int = 2, B: int = 2,
           seed: int = CRITIC_SEED) -> dict[str, dict[str, np.ndarray]]:
    """Every row's potential and new bits per episode against the horizon, exactly (§4.1).

    Parameters
    ----------
    T_values : sequence of int
        Horizons, each ``>= 1``.
    V, B, seed
        As for :func:`row_numbers`.

    Returns
    -------
    dict
        Row key → ``{"T", "potential", "new"}`` arrays.

    Raises
    ------
    ValueError
        On an invalid horizon or instance.

    Examples
    --------
    >>> g = growth((1, 2, 3))
    >>> g["ac-dense"]["new"].tolist(), g["ac-sparse"]["new"].round(3).tolist()
    ([1.0, 2.0, 3.0], [1.0, 0.811, 1.0])
    """
    Ts = tuple(check_int(t, "T", 1, "horizons are at least 1") for t in T_values)
    if not Ts:
        raise ValueError("growth needs at least one horizon")
    V, _, B = _check_instance(V, Ts[0], B)
    return _growth(Ts, V, B, seed)


@functools.lru_cache(maxsize=8)
def _growth(Ts, V, B, seed):
    tables = [comparison_table(V, T, B, seed) for T in progress(Ts, desc="horizons")]
    return {r.key: {"T": np.array(Ts),
                    "potential": np.array([t.row(r.key).potential for t in tables]),
                    "new": np.array([t.row(r.key).new for t in tables])} for r in ROWS}


# ============================================================================ closed forms
def quantised_binomial_bits(T: int, B: int, p: float) -> float:
    """``H(Q_B(K))`` for ``K ~ Binomial(T, p)`` read in ``B`` equal-width levels of ``K/T`` (§4.1).

    The levels follow the book's one rule (:func:`~infobandwidth.information.quantise.count_levels`).
    With ``p = 1/|V|`` this is what the sparse match-count return tells under a uniform prior, for
    any ``T`` (``T = 1000`` takes a millisecond).

    Parameters
    ----------
    T : int
        Number of tokens, ``>= 1``.
    B : int
        Levels, ``>= 1``.
    p : float
        Chance that a token matches, in ``[0, 1]``.

    Returns
    -------
    float
        Bits.

    Raises
    ------
    ValueError
        On an invalid ``T``, ``B`` or ``p``.

    Examples
    --------
    >>> quantised_binomial_bits(3, 2, 0.5)          # "at least 2 of 3 match": a fair coin
    1.0
    >>> round(quantised_binomial_bits(2, 3, 0.5), 4)  # 1/4, 1/2, 1/4
    1.5
    """
    T = check_int(T, "T", 1, "an episode has at least 1 token")
    B = check_int(B, "B", 1, "use at least one level")
    if not (isinstance(p, (int, float)) and 0.0 <= float(p) <= 1.0):
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    p = float(p)
    if p in (0.0, 1.0):                       # every token matches, or none does: one value
        return 0.0
    k = np.arange(T + 1)
    log_pmf = np.array([math.lgamma(T + 1) - math.lgamma(c + 1) - math.lgamma(T - c + 1) for c in k])
    pmf = np.exp(log_pmf + k * math.log(p) + (T - k) * math.log1p(-p))
    levels = count_levels(T, B)
    return entropy_bits(np.bincount(levels, weights=pmf / pmf.sum()))


def closed_form(key: str, T: int, V: int = 2, B: int = 2) -> tuple[float, float]:
    """``(potential, new)`` bits per episode of one row, from its closed form (§4.1).

    Valid for the module's instance: uniform prior over the hidden strings, uniform policy, a
    generic fixed critic. See the module docstring for the formulas.

    Parameters
    ----------
    key : str
        A key of :data:`ROWS`.
    T, V, B : int
        Horizon, vocabulary, levels of the sparse grader.

    Returns
    -------
    tuple of float

    Raises
    ------
    ValueError
        An unknown row or an invalid instance.

    Examples
    --------
    >>> closed_form("ac-dense", 1000)
    (1999.0, 1000.0)
    >>> [round(x, 4) for x in closed_form("pg-return", 1000, 2, 2)]
    [0.9995, 0.9995]
    """
    _check_row(key)
    V, T, B = _check_instance(V, T, B)
    dense = T * float(binary_entropy(1.0 / V))
    sparse = quantised_binomial_bits(T, B, 1.0 / V)
    path = (T - 1) * math.log2(V)
    return {"pg-return": (sparse, sparse), "pg-rtg": (dense, dense),
            "ac-sparse": (path + sparse, sparse), "ac-dense": (path + dense, dense)}[key]


def ratios(T: int, V: int = 2, B: int = 2) -> dict[str, float]:
    """Actor-critic against REINFORCE's return, three ways, from the closed forms (§4.1).

    Parameters
    ----------
    T, V, B : int
        As for :func:`closed_form`.

    Returns
    -------
    dict
        ``"potential"``: ``H(δ) / H(G)`` with the sparse reward; ``"new, sparse"``: the ratio of the
        new bits with the sparse reward; ``"new, dense"``: the new bits of actor-critic with the dense
        reward over those of REINFORCE's sparse return (the same as REINFORCE with reward-to-go on
        the dense reward over its return).

    Examples
    --------
    >>> {k: round(v, 1) for k, v in ratios(1000).items()}
    {'potential': 1000.5, 'new, sparse': 1.0, 'new, dense': 1000.5}
    """
    pg = closed_form("pg-return", T, V, B)
    ac = closed_form("ac-sparse", T, V, B)
    acd = closed_form("ac-dense", T, V, B)
    return {"potential": ac[0] / pg[0], "new, sparse": ac[1] / pg[1], "new, dense": acd[1] / pg[1]}
