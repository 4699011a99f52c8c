"""The REINFORCE learning signal: bits per episode (§3.1).

(Named ``reinforce_signal`` rather than ``policy_gradient``: a submodule of that name would shadow
the estimator :func:`infobandwidth.learners.policy_gradient` in the package namespace.)

Used in §3.1, where the article bounds what one scalar return ``G = R_ξ(s_T)`` can tell a
policy-gradient learner by the chain

    I(G; π*)  <=  I(G; ξ)  <=  H(G)  <=  log2 B,

with ``B`` the number of distinguishable return levels, and concludes "about one bit per episode".
This module computes every link exactly, measures what an episode actually teaches along a real
REINFORCE run, and holds the section's claim checks.

What it computes
----------------
:func:`information_chain`
    Every link of the chain for one family, horizon, number of levels ``B`` and behaviour policy,
    plus the learner's version ``I(G; π* | τ) <= I(G; ξ | τ) = H(G | τ)`` (a learner knows the
    trajectory it wrote; for a deterministic reward ``H(G | ξ, τ) = 0``, so what an episode teaches
    about ξ is exactly the entropy of the return given the trajectory).
:func:`chain_grid`
    The chain over a grid of families × V × T × B × policies, as a :class:`ChainTable` that a
    notebook displays as an HTML table.
:func:`episode_information`
    Replays the episodes of a run through the ideal Bayesian observer one at a time: for episode
    ``i`` the information it was expected to carry given its trajectory,
    ``H(G | τ = τ_i, D_{i-1})`` (about ξ) and ``I(G; π* | τ = τ_i, D_{i-1})``, what it did remove,
    and the success probability under the observer's belief.
:func:`solve_table`
    REINFORCE over several seeds on several tasks: episodes to solve against the information
    bound ``H(π*) / log2 B`` and against the episodes after which the data already determine π*.
:class:`SymJoint`, :func:`sym_one_token_utility`
    The chain on a family small enough for sympy: one token, two answers, a utility per answer.

Conventions
-----------
Families are built with a uniform prior by :func:`chain_family` (``"exact match"``,
``"match count"`` with ``T + 1`` levels, ``"token utility"`` with 0/1 utilities per position and
token). ``B`` quantises the return into ``B`` equal-width bins over its range
(:class:`~infobandwidth.rewards.QuantisedReturn`); a binary return is unchanged by any ``B >= 2``.
Behaviour policies are ``"uniform"`` (the initial REINFORCE policy, ``θ = 0``) or ``"a w.p. p"``
(token ``a`` with probability ``p`` at every prefix), built by :func:`behaviour_policy`.
"""
from __future__ import annotations

import functools
import html
import itertools
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from .bandwidth import signal_bandwidth
from .mdp import Policy, TokenMDP, _check_int, table_policy, uniform_policy
from .rewards import (QuantisedReturn, RewardFamily, as_signal, exact_match, match_count,
                      optimal_policies, token_utility)

__all__ = [
    "CHAIN_FAMILIES",
    "chain_family",
    "behaviour_policy",
    "return_bins",
    "InformationChain",
    "information_chain",
    "ChainTable",
    "chain_grid",
    "SymJoint",
    "sym_one_token_utility",
    "EpisodeInformation",
    "episode_information",
    "SolveRow",
    "SolveTable",
    "solve_table",
    "PG_SETTINGS",
    "PG_TASKS",
    "chapter_runs",
    "run_information",
    "markov_numbers",
]

#: Families accepted by :func:`chain_family`.
CHAIN_FAMILIES = ("exact match", "match count", "token utility")

_TOL = 1e-9


def _check_family_name(name: Any) -> str:
    if name not in CHAIN_FAMILIES:
        raise ValueError(f"unknown family {name!r}; choose one of {', '.join(CHAIN_FAMILIES)}")
    return name


def chain_family(name: str, V: int, T: int) -> RewardFamily:
    """One of the §3.1 families on ``TokenMDP(V, T)`` with a uniform prior.

    Parameters
    ----------
    name : {"exact match", "match count", "token utility"}
        Exact match: ξ is a hidden string, ``G = 1`` iff the episode equals it. Match count: ξ is a
        hidden string, ``G`` = share of matching positions (``T + 1`` levels). Token utility: ξ is a
        table of 0/1 utilities ``u[t, token]``, ``G = Σ_t u[t, x_t]``.
    V, T : int
        Vocabulary size and horizon.

    Returns
    -------
    RewardFamily

    Raises
    ------
    ValueError
        An unknown name, or ``V``/``T`` not positive integers.

    Examples
    --------
    >>> chain_family("match count", 2, 3).return_levels().round(3).tolist()
    [0.0, 0.333, 0.667, 1.0]
    >>> chain_family("jackpot", 2, 2)
    Traceback (most recent call last):
        ...
    ValueError: unknown family 'jackpot'; choose one of exact match, match count, token utility
    """
    name = _check_family_name(name)
    mdp = TokenMDP(_check_int(V, "V", 1, "e.g. V=2"), _check_int(T, "T", 1, "e.g. T=3"))
    if name == "exact match":
        return exact_match(mdp)
    if name == "match count":
        return match_count(mdp)
    return token_utility(mdp)


def behaviour_policy(mdp: TokenMDP, p_a: float | None = None) -> Policy:
    """The behaviour policy of the §3.1 tables: uniform (``p_a=None``), or token ``a`` w.p. ``p_a``.

    Parameters
    ----------
    mdp : TokenMDP
    p_a : float, optional
        Probability of token ``a`` (index 0) at every prefix; the other tokens share the rest
        equally. ``None``: the uniform policy, REINFORCE's starting point.

    Returns
    -------
    Policy

    Raises
    ------
    ValueError
        ``p_a`` outside ``[0, 1]`` (or not 1 when ``V = 1``).

    Examples
    --------
    >>> behaviour_policy(TokenMDP(3, 1), 0.5).table.tolist()
    [[0.5, 0.25, 0.25]]
    >>> behaviour_policy(TokenMDP(2, 1)).name
    'uniform'
    """
    if not isinstance(mdp, TokenMDP):
        raise ValueError(f"mdp must be a TokenMDP, got {type(mdp).__name__}")
    if p_a is None:
        return uniform_policy(mdp)
    if isinstance(p_a, bool) or not isinstance(p_a, numbers.Real) or not 0 <= p_a <= 1:
        raise ValueError(f"p_a must be a probability in [0, 1], got {p_a!r}")
    if mdp.V == 1 and p_a != 1:
        raise ValueError("with V = 1 the only token has probability 1; use p_a=None or 1")
    row = np.full(mdp.V, (1.0 - p_a) / max(mdp.V - 1, 1))
    row[0] = p_a
    return table_policy(mdp, np.tile(row, (mdp.n_prefixes, 1)), name=f"a w.p. {p_a:g}")


# ============================================================================ the chain
@dataclass(frozen=True)
class InformationChain:
    """Every link of the §3.1 chain for one instance, in bits.

    Attributes
    ----------
    family : str
        The family's label.
    V, T, B : int
        Vocabulary, horizon, number of quantisation levels.
    policy : str
        The behaviour policy's name.
    n_used : int
        Number of quantised return values that occur (at most ``B``).
    log2_B, H_G, I_G_xi, I_G_pi : float
        The article's chain, right to left.
    H_G_given_tau, I_G_xi_given_tau, I_G_pi_given_tau, H_G_given_xi_tau : float
        The learner's side: what one episode teaches a learner that knows its trajectory.
    H_xi, H_pi : float
        Prior entropies of ξ and π*.

    Examples
    --------
    >>> c = information_chain(chain_family("exact match", 2, 1), 2)
    >>> c.H_G, c.I_G_xi, c.I_G_pi, c.I_G_xi_given_tau
    (1.0, 0.0, 0.0, 1.0)
    """

    family: str
    V: int
    T: int
    B: int
    policy: str
    n_used: int
    log2_B: float
    H_G: float
    I_G_xi: float
    I_G_pi: float
    H_G_given_tau: float
    I_G_xi_given_tau: float
    I_G_pi_given_tau: float
    H_G_given_xi_tau: float
    H_xi: float
    H_pi: float

    def slacks(self) -> dict[str, float]:
        """The slack of each link: ``log2 B − H(G)``, ``H(G) − I(G;ξ) = H(G|ξ)``,
        ``I(G;ξ) − I(G;π*) = I(G;ξ|π*)``, and the learner's ``H(G|τ) − I(G;ξ|τ) = H(G|ξ,τ)``."""
        return {
            "log2 B − H(G)": self.log2_B - self.H_G,
            "H(G) − I(G;ξ)": self.H_G - self.I_G_xi,
            "I(G;ξ) − I(G;π*)": self.I_G_xi - self.I_G_pi,
            "H(G|τ) − I(G;ξ|τ)": self.H_G_given_tau - self.I_G_xi_given_tau,
        }

    def holds(self, tol: float = _TOL) -> bool:
        """Whether every link of both chains holds (no slack below ``-tol``), including
        ``I(G;π*|τ) <= I(G;ξ|τ)`` and ``H(G|τ) <= H(G)``."""
        extra = [self.I_G_xi_given_tau - self.I_G_pi_given_tau, self.H_G - self.H_G_given_tau,
                 math.log2(self.n_used) - self.H_G]
        return min(list(self.slacks().values()) + extra) >= -tol


def return_bins(levels: Any, B: int) -> np.ndarray:
    """The bin of each return level under :class:`~infobandwidth.rewards.QuantisedReturn` ``(B)`` (§3.1).

    Equal-width bins over ``[levels[0], levels[-1]]``; a value on an edge goes to the bin above,
    the top value to the top bin (as :func:`infobandwidth.quantize.quantize`).

    Parameters
    ----------
    levels : array_like
        The sorted return levels of a family (``family.return_levels()``).
    B : int
        Number of bins, ``>= 1``.

    Returns
    -------
    numpy.ndarray of int

    Raises
    ------
    ValueError
        ``B`` not an integer ``>= 1``, or levels that are empty, not finite or not sorted.

    Examples
    --------
    >>> return_bins([0, 1/3, 2/3, 1], 2).tolist()
    [0, 0, 1, 1]
    """
    B = _check_int(B, "B", 1, "the number of bins, e.g. 2")
    levels = np.asarray(levels, dtype=float).reshape(-1)
    if not levels.size or not np.isfinite(levels).all() or (np.diff(levels) < 0).any():
        raise ValueError("levels must be a non-empty, finite, sorted array of return values")
    return _bins(levels, B)


def _bins(levels: np.ndarray, B: int) -> np.ndarray:
    lo, hi = float(levels[0]), float(levels[-1])
    if hi <= lo:
        return np.zeros(len(levels), dtype=np.int64)
    return np.clip(np.floor((levels - lo) / (hi - lo) * B + 1e-9), 0, B - 1).astype(np.int64)


def information_chain(family: RewardFamily, B: int, policy: Policy | None = None, *,
                      prior: Any = None, label: str | None = None) -> InformationChain:
    """Every link of ``I(G;π*) <= I(G;ξ) <= H(G) <= log2 B`` for one instance, exactly (§3.1).

    ``G`` is the sparse return quantised into ``B`` equal-width bins over the family's range of
    returns; the numbers come from :func:`~infobandwidth.bandwidth.signal_bandwidth`.

    Parameters
    ----------
    family : RewardFamily
    B : int
        Number of levels, ``>= 1``.
    policy : Policy, optional
        The behaviour policy (default uniform).
    prior : array_like, optional
        Weights over ξ replacing the family's prior (e.g. a learner's posterior).
    label : str, optional
        The family's label in tables (default: its kind, e.g. ``"exact_match"``).

    Returns
    -------
    InformationChain

    Raises
    ------
    ValueError
        ``B`` not an integer ``>= 1``; any error of ``signal_bandwidth``.

    Examples
    --------
    Match count on two tokens of a binary vocabulary, uniform policy, 3 and 2 levels:

    >>> fam = chain_family("match count", 2, 2)
    >>> c3, c2 = information_chain(fam, 3), information_chain(fam, 2)
    >>> round(c3.H_G, 3), round(c2.H_G, 3), c3.H_G <= c3.log2_B     # G = 0, 1/2, 1 w.p. 1/4, 1/2, 1/4
    (1.5, 0.811, True)
    """
    if not isinstance(family, RewardFamily):
        raise ValueError(f"family must be a RewardFamily, got {type(family).__name__}")
    B = _check_int(B, "B", 1, "the number of return levels, e.g. 2")
    signal = QuantisedReturn(B)
    b = signal_bandwidth(family, signal, policy, prior=prior)
    pol = policy if policy is not None else uniform_policy(family.mdp)
    n_used = len(np.unique(_bins(family.return_levels(), B)))
    return InformationChain(
        family=label or family.name, V=family.mdp.V, T=family.mdp.T, B=B, policy=pol.name,
        n_used=n_used, log2_B=math.log2(B), H_G=b.H_S, I_G_xi=b.I_S_xi, I_G_pi=b.I_S_pi,
        H_G_given_tau=b.H_S_given_tau, I_G_xi_given_tau=b.I_S_xi_given_tau,
        I_G_pi_given_tau=b.I_S_pi_given_tau, H_G_given_xi_tau=b.H_S_given_xi_tau,
        H_xi=b.H_xi, H_pi=b.H_pi,
    )


_COLUMNS = (
    ("I(G;π*)", "I_G_pi"), ("I(G;ξ)", "I_G_xi"), ("H(G)", "H_G"), ("log₂B", "log2_B"),
    ("I(G;π*|τ)", "I_G_pi_given_tau"), ("I(G;ξ|τ)", "I_G_xi_given_tau"), ("H(G|τ)", "H_G_given_tau"),
)


@dataclass(frozen=True)
class ChainTable:
    """Several :class:`InformationChain` rows; displays as an HTML table in a notebook.

    Examples
    --------
    >>> t = chain_grid(families=["exact match"], Vs=[2], Ts=[1], Bs=[2], policies=[None])
    >>> len(t.rows), t.all_hold()
    (1, True)
    """

    rows: tuple

    def all_hold(self, tol: float = _TOL) -> bool:
        """Whether every link holds in every row."""
        return all(r.holds(tol) for r in self.rows)

    def min_slacks(self) -> dict[str, float]:
        """The smallest slack of each link over the rows."""
        keys = self.rows[0].slacks().keys()
        return {k: min(r.slacks()[k] for r in self.rows) for k in keys}

    def _repr_html_(self) -> str:
        # columns that are the same in every row go into a caption line instead
        keys = ("family", "V", "T", "B", "policy")
        constant = [k for k in keys if len({getattr(r, k) for r in self.rows}) == 1 and len(self.rows) > 1]
        shown = [k for k in keys if k not in constant]
        head = "".join(f"<th>{html.escape(h)}</th>" for h in shown + [c for c, _ in _COLUMNS])
        body = []
        for r in self.rows:
            cells = [html.escape(str(getattr(r, k))) for k in shown]
            cells += [f"{getattr(r, a):.3f}" for _, a in _COLUMNS]
            style = "" if r.holds() else ' style="background:#fadbd8"'
            body.append(f"<tr{style}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        caption = ""
        if constant:
            caption = ("<caption>" + "; ".join(f"{k}: {html.escape(str(getattr(self.rows[0], k)))}"
                                               for k in constant) + " in every row</caption>")
        return (_TABLE_STYLE + '<table class="ib-chain-table">' + caption + "<thead><tr>" + head
                + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>")


#: Compact, right-aligned numeric tables (scoped to the two table classes of this module).
_TABLE_STYLE = (
    "<style>.ib-chain-table,.ib-solve-table{font-size:.82em;border-collapse:collapse;margin:.5em 0}"
    ".ib-chain-table th,.ib-chain-table td,.ib-solve-table th,.ib-solve-table td"
    "{padding:.15em .45em;text-align:right;border-bottom:1px solid #ddd;vertical-align:bottom}"
    ".ib-chain-table td,.ib-solve-table td{white-space:nowrap}"
    ".ib-chain-table td:first-child,.ib-solve-table td:first-child,.ib-chain-table th:first-child,"
    ".ib-solve-table th:first-child{text-align:left}"
    ".ib-chain-table caption,.ib-solve-table caption{caption-side:bottom;font-size:.9em;"
    "text-align:left;padding-top:.3em}</style>"
)


def chain_grid(families: Iterable[str] = CHAIN_FAMILIES, Vs: Iterable[int] = (2,),
               Ts: Iterable[int] = (2, 4), Bs: Iterable[int] = (2, 4),
               policies: Iterable[float | None] = (None, 0.8)) -> ChainTable:
    """The chain of :func:`information_chain` over a grid of instances (§3.1).

    Parameters
    ----------
    families : iterable of str
        Names of :data:`CHAIN_FAMILIES`.
    Vs, Ts, Bs : iterable of int
    policies : iterable of (float or None)
        ``p_a`` of :func:`behaviour_policy` (None: uniform).

    Returns
    -------
    ChainTable
        One row per combination, in the order family, V, T, B, policy.

    Examples
    --------
    >>> t = chain_grid(families=["match count"], Ts=[2], Bs=[2, 3], policies=[None])
    >>> [round(r.H_G, 3) for r in t.rows]          # h(1/4), then 1/4, 1/2, 1/4
    [0.811, 1.5]
    """
    rows = []
    for name, V, T in itertools.product(list(families), list(Vs), list(Ts)):
        fam = chain_family(name, V, T)
        for B, p_a in itertools.product(list(Bs), list(policies)):
            rows.append(information_chain(fam, B, behaviour_policy(fam.mdp, p_a), label=name))
    if not rows:
        raise ValueError("the grid is empty; give at least one value of each parameter")
    return ChainTable(tuple(rows))


# ============================================================================ symbolic chain
class SymJoint:
    """A joint distribution of named discrete variables with sympy probabilities (§3.1).

    Built from a list of outcomes ``(probability, {name: value, ...})``; every outcome names the
    same variables. Entropies are ``-Σ p log2 p`` over the marginal, unsimplified.

    Parameters
    ----------
    outcomes : sequence of (sympy expression, dict)
    complements : dict, optional
        ``{symbol: expression}`` substituted after each marginal is factored. Writing ``1 - θ`` as
        its own positive symbol ``θ̄`` and substituting back after factoring keeps every factor
        in the form ``1 - θ`` (never ``θ - 1``), so that ``expand_log(..., force=True)`` splits
        logarithms of products correctly.

    Raises
    ------
    ValueError
        No outcomes, outcomes naming different variables, or an unknown variable in a query.

    Examples
    --------
    >>> import sympy as sp
    >>> p = sp.Symbol("p", positive=True)
    >>> J = SymJoint([(p, {"x": 0}), (1 - p, {"x": 1})])
    >>> J.H("x")
    -p*log(p)/log(2) - (1 - p)*log(1 - p)/log(2)
    """

    def __init__(self, outcomes: Sequence[tuple[Any, dict]], complements: dict | None = None):
        import sympy as sp

        self._sp = sp
        outcomes = list(outcomes)
        if not outcomes:
            raise ValueError("a SymJoint needs at least one outcome (probability, {name: value})")
        names = set(outcomes[0][1])
        for _, v in outcomes:
            if set(v) != names:
                raise ValueError(f"every outcome must name the same variables; got {sorted(v)} "
                                 f"and {sorted(names)}")
        self.names = tuple(sorted(names))
        self.outcomes = [(sp.sympify(p), dict(v)) for p, v in outcomes]
        self.complements = dict(complements or {})

    def _group(self, names: Any) -> tuple[str, ...]:
        if isinstance(names, str):
            names = (names,)
        names = tuple(names)
        bad = [n for n in names if n not in self.names]
        if bad:
            raise ValueError(f"unknown variable(s) {bad}; this joint has {list(self.names)}")
        return names

    def marginal(self, names: Any) -> dict:
        """``{values: probability}`` of the variables ``names`` (factored, complements substituted)."""
        sp = self._sp
        names = self._group(names)
        m: dict = {}
        for p, v in self.outcomes:
            k = tuple(v[n] for n in names)
            m[k] = m.get(k, 0) + p
        return {k: sp.factor(p).subs(self.complements) for k, p in m.items()}

    def H(self, names: Any, given: Any = ()) -> Any:
        """``H(names | given)`` in bits: ``H(names, given) − H(given)``."""
        sp = self._sp
        names, given = self._group(names), self._group(given)

        def ent(group):
            if not group:
                return sp.Integer(0)
            return -sp.Add(*[p * sp.log(p, 2) for p in self.marginal(group).values() if p != 0])

        return ent(tuple(dict.fromkeys(names + given))) - ent(given)

    def I(self, a: Any, b: Any, given: Any = ()) -> Any:
        """``I(a; b | given) = H(a | given) − H(a | b, given)`` in bits."""
        a, b, given = self._group(a), self._group(b), self._group(given)
        return self.H(a, given) - self.H(a, b + given)


def sym_one_token_utility(theta: Any = "theta", q: Any = "q") -> SymJoint:
    """The §3.1 chain on a family small enough for sympy: one token, two answers ``a`` and ``b``.

    ξ = ``(u_a, u_b)``, a 0/1 utility per answer, each 1 with probability ``θ`` independently;
    the policy answers ``b`` with probability ``q``; the return is ``G = u_τ`` (``B = 2``); the
    optimal policy π* answers ``b`` only when ``u_b > u_a`` (ties go to ``a``, the smaller token).
    This is :func:`~infobandwidth.rewards.token_utility` on ``TokenMDP(2, 1)`` with
    ``value_probs=[1 - θ, θ]`` and the policy ``[[1 - q, q]]``.

    Parameters
    ----------
    theta, q : str or sympy Symbol
        The prior's success probability per answer and the policy's probability of ``b``
        (strings become positive symbols).

    Returns
    -------
    SymJoint
        Variables ``"xi"`` (the pair ``(u_a, u_b)``), ``"tau"`` (0 = a, 1 = b), ``"G"``,
        ``"pi_star"`` (0 = a, 1 = b).

    Examples
    --------
    >>> import sympy as sp
    >>> J = sym_one_token_utility()
    >>> th = sp.Symbol("theta", positive=True)
    >>> sp.simplify(J.marginal("G")[(1,)] - th)
    0
    """
    import sympy as sp

    th = sp.Symbol(theta, positive=True) if isinstance(theta, str) else sp.sympify(theta)
    qq = sp.Symbol(q, positive=True) if isinstance(q, str) else sp.sympify(q)
    thb = sp.Dummy("thetabar", positive=True)
    qb = sp.Dummy("qbar", positive=True)
    outcomes = []
    for ua, ub in itertools.product((0, 1), repeat=2):
        p_xi = (th if ua else thb) * (th if ub else thb)
        pi_star = 1 if ub > ua else 0
        for tau, p_tau in ((0, qb), (1, qq)):
            g = ua if tau == 0 else ub
            outcomes.append((p_xi * p_tau, {"xi": (ua, ub), "tau": tau, "G": g, "pi_star": pi_star}))
    return SymJoint(outcomes, complements={thb: 1 - th, qb: 1 - qq})


# ============================================================================ along a run
@dataclass(frozen=True)
class EpisodeInformation:
    """What each episode of a run carried, for an ideal observer of the same data (§3.1).

    Episode ``i`` (0-based) is seen by an observer whose belief is ``p(ξ | D_{i-1})``, the
    posterior after the earlier episodes.

    Attributes
    ----------
    expected_xi : numpy.ndarray, shape (N,)
        ``H(G | τ = τ_i, D_{i-1})``: the information about ξ the episode was expected to carry,
        given the trajectory the learner wrote (for a deterministic reward this is
        ``I(G; ξ | τ = τ_i, D_{i-1})``). Its average over ``τ`` is ``I(G; ξ | τ, D_{i-1})``.
    expected_pi : numpy.ndarray, shape (N,)
        ``I(G; π* | τ = τ_i, D_{i-1})``.
    realised_xi, realised_pi : numpy.ndarray, shape (N,)
        The drops ``H(ξ | D_{i-1}) − H(ξ | D_i)`` and the same for π*: what the episode removed.
    p_top : numpy.ndarray, shape (N,)
        Probability, under the belief, that the episode earns the family's largest return.
    returns : numpy.ndarray, shape (N,)
        The returns observed.
    entropy_xi, entropy_pi : numpy.ndarray, shape (N+1,)
        ``H(ξ | D_i)`` and ``H(π* | D_i)``, before the first and after every episode.
    n_levels : int
        Number of values the return can take (its ``log2`` caps every per-episode number).
    """

    expected_xi: np.ndarray
    expected_pi: np.ndarray
    realised_xi: np.ndarray
    realised_pi: np.ndarray
    p_top: np.ndarray
    returns: np.ndarray
    entropy_xi: np.ndarray
    entropy_pi: np.ndarray
    n_levels: int

    @property
    def log2_levels(self) -> float:
        """``log2`` of the number of return values."""
        return math.log2(self.n_levels)

    def first_known(self) -> int:
        """Number of episodes after which the observer knows π* (``H(π* | D) = 0``); ``-1`` if never."""
        hit = np.flatnonzero(self.entropy_pi <= 1e-12)
        return int(hit[0]) if hit.size else -1


def _ent(p: np.ndarray) -> float:
    q = p[p > 0]
    return float(-(q * np.log2(q)).sum()) + 0.0


def episode_information(family: RewardFamily, xi: int, trajectories: Any, *,
                        prior: Any = None) -> EpisodeInformation:
    """Replay a run's episodes through the ideal Bayesian observer, one at a time (§3.1).

    The observer sees each trajectory and its return ``G = R_ξ(s_T)`` (what REINFORCE sees) and
    updates ``p(ξ | D)`` by Bayes' rule. Use it on a :class:`~infobandwidth.learners.TrainingCurve`
    with ``episode_information(family, curve.settings["xi"], curve.trajectories)``; its entropies
    at the end of each batch equal the curve's ``entropy_xi`` (the posterior does not depend on
    the order of the episodes).

    Parameters
    ----------
    family : RewardFamily
    xi : int
        The true reward parameter.
    trajectories : array_like of int, shape (N,)
        Trajectory indices, in the order played.
    prior : array_like, optional
        The observer's belief before the first episode (default: the family's prior).

    Returns
    -------
    EpisodeInformation

    Raises
    ------
    ValueError
        A family that is not a RewardFamily, ``xi`` outside the family, trajectories that are not
        a 1-D array of valid indices, or a true ξ outside the prior's support.

    Examples
    --------
    A hidden string of 2 bits; the learner tries ``aa`` (index 0) then ``ab`` (index 1); the target
    is ``ab``. The first guess hits with probability 1/4, the second with 1/3:

    >>> info = episode_information(exact_match(TokenMDP(2, 2)), 1, [0, 1])
    >>> info.p_top.round(4).tolist(), info.expected_xi.round(4).tolist()
    ([0.25, 0.3333], [0.8113, 0.9183])
    >>> info.entropy_xi.round(4).tolist()
    [2.0, 1.585, 0.0]
    """
    from .rewards import _check_prior

    if not isinstance(family, RewardFamily):
        raise ValueError(f"family must be a RewardFamily, got {type(family).__name__}")
    n_xi = family.n_xi
    if isinstance(xi, bool) or not isinstance(xi, numbers.Integral) or not 0 <= int(xi) < n_xi:
        raise ValueError(f"xi must be an integer in 0..{n_xi - 1}, got {xi!r}")
    xi = int(xi)
    tr = np.asarray(trajectories)
    if tr.ndim != 1 or (tr.size and tr.dtype.kind not in "iu"):
        raise ValueError(f"trajectories must be a 1-D array of integer trajectory indices, got "
                         f"shape {tr.shape} and dtype {tr.dtype}")
    tr = tr.astype(np.int64)
    n_tr = family.mdp.n_trajectories
    if tr.size and (tr.min() < 0 or tr.max() >= n_tr):
        raise ValueError(f"trajectory indices must lie in 0..{n_tr - 1}")
    w = family.prior.copy() if prior is None else _check_prior(prior, n_xi).copy()
    if w[xi] <= 0:
        raise ValueError(f"the true ξ = {xi} has prior probability 0; the observer could never learn it")
    bound = as_signal("return").bind(family)
    K = bound.K_obs
    levels = family.return_levels()
    opt = optimal_policies(family)
    cls, n_c = opt.classes, opt.n_classes
    N = len(tr)
    uniq, inv = np.unique(tr, return_inverse=True)
    codes_u = bound.codes(np.arange(n_xi), uniq) if N else np.zeros((n_xi, 0), dtype=np.int64)
    out = {k: np.zeros(N) for k in ("exp_xi", "exp_pi", "real_xi", "real_pi", "p_top", "ret")}
    hx = np.zeros(N + 1)
    hp = np.zeros(N + 1)
    hx[0] = _ent(w)
    hp[0] = _ent(np.bincount(cls, weights=w, minlength=n_c))
    true_codes = codes_u[xi, inv] if N else np.zeros(0, dtype=np.int64)
    for i in range(N):
        if hx[i] == 0.0 and (w > 0).sum() == 1:
            # ξ is known: every later return is certain; nothing left to learn
            rest = true_codes[i:]
            out["p_top"][i:] = (rest == K - 1).astype(float)
            out["ret"][i:] = levels[rest]
            break
        g = codes_u[:, inv[i]]
        pk = np.bincount(g, weights=w, minlength=K)
        H_G = _ent(pk)
        pcg = np.bincount(cls * K + g, weights=w, minlength=n_c * K)
        pc = np.bincount(cls, weights=w, minlength=n_c)
        H_G_pi = _ent(pcg) - _ent(pc)
        out["exp_xi"][i] = H_G
        out["exp_pi"][i] = max(0.0, H_G - H_G_pi)
        out["p_top"][i] = pk[K - 1]
        g_true = g[xi]
        out["ret"][i] = levels[g_true]
        w = np.where(g == g_true, w, 0.0)
        w = w / w.sum()
        hx[i + 1] = _ent(w)
        hp[i + 1] = _ent(np.bincount(cls, weights=w, minlength=n_c))
    out["real_xi"] = hx[:-1] - hx[1:]
    out["real_pi"] = hp[:-1] - hp[1:]
    clean = lambda a: np.where(np.abs(a) < 1e-12, 0.0, a)  # noqa: E731
    return EpisodeInformation(
        expected_xi=clean(out["exp_xi"]), expected_pi=clean(out["exp_pi"]),
        realised_xi=clean(out["real_xi"]), realised_pi=clean(out["real_pi"]),
        p_top=out["p_top"], returns=out["ret"], entropy_xi=clean(hx), entropy_pi=clean(hp),
        n_levels=K,
    )


# ============================================================================ episodes to solve
@dataclass(frozen=True)
class SolveRow:
    """One task of :func:`solve_table`: the information bound against REINFORCE and the data.

    Attributes
    ----------
    label : str
    H_pi : float
        ``H(π*)`` in bits under the prior.
    levels : int
        Number of return values ``B``.
    bound : float
        ``H(π*) / log2 B``: the fewest episodes any learner could need if each one delivered the
        ceiling.
    data_median : float
        Median number of episodes after which the learner's own data determined π* (the ideal
        observer's ``H(π* | D) = 0``), resolved to batches.
    reinforce_median, reinforce_q25, reinforce_q75 : float
        Episodes REINFORCE needed to reach ``threshold · J*`` (median and quartiles).
    solved : int
        Runs that reached the threshold.
    runs : int
    summary : SeedSummary
        The runs themselves.
    """

    label: str
    H_pi: float
    levels: int
    bound: float
    data_median: float
    reinforce_median: float
    reinforce_q25: float
    reinforce_q75: float
    solved: int
    runs: int
    summary: Any = field(repr=False)


@dataclass(frozen=True)
class SolveTable:
    """Rows of :func:`solve_table`; displays as an HTML table in a notebook."""

    rows: tuple

    def _repr_html_(self) -> str:
        heads = ("task", "H(π*) [bits]", "B", "bound H(π*)/log₂B", "data settle π* (median)",
                 "REINFORCE reaches 0.9·J* (median)", "quartiles", "solved")
        body = []
        for r in self.rows:
            cells = [html.escape(r.label), f"{r.H_pi:.3f}", str(r.levels), f"{r.bound:.2f}",
                     f"{r.data_median:g}", f"{r.reinforce_median:g}",
                     f"{r.reinforce_q25:g}–{r.reinforce_q75:g}", f"{r.solved}/{r.runs}"]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        return (_TABLE_STYLE + '<table class="ib-solve-table"><thead><tr>'
                + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
                + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>")


def _median(x: np.ndarray) -> float:
    return float(np.quantile(np.asarray(x, dtype=float), 0.5, method="inverted_cdf"))


def solve_table(tasks: Sequence[tuple[str, RewardFamily]], seeds: int | Iterable[int] = 8, *,
                threshold: float = 0.9, **kwargs: Any) -> SolveTable:
    """REINFORCE on several tasks: episodes to solve against ``H(π*)/log2 B`` (§3.1, §4.3).

    Each task runs :func:`~infobandwidth.learners.run_seeds` with ``xi="prior"`` (every seed draws
    its own hidden ξ) and the ideal observer on.

    Parameters
    ----------
    tasks : sequence of (label, RewardFamily)
    seeds : int or iterable of int
    threshold : float
        Share of ``J*`` that counts as solved.
    **kwargs
        Arguments of :func:`~infobandwidth.learners.reinforce` (``n_updates``, ``batch_size``,
        ``lr``, ``baseline``, ...).

    Returns
    -------
    SolveTable

    Raises
    ------
    ValueError
        No tasks, a task that is not ``(label, RewardFamily)``, or any error of ``run_seeds``.

    Examples
    --------
    >>> t = solve_table([("2-bit string", chain_family("exact match", 2, 2))], seeds=2,
    ...                 n_updates=30, batch_size=4, lr=2.0)
    >>> r = t.rows[0]
    >>> r.bound, r.solved
    (2.0, 2)
    """
    from .learners import run_seeds

    tasks = list(tasks)
    if not tasks:
        raise ValueError("give at least one (label, family) task")
    rows = []
    for task in tasks:
        if not (isinstance(task, tuple) and len(task) == 2 and isinstance(task[1], RewardFamily)):
            raise ValueError(f"each task must be a (label, RewardFamily) pair, got {task!r}")
        label, fam = task
        s = run_seeds("reinforce", fam, "prior", seeds, threshold=threshold, posterior=True, **kwargs)
        opt = optimal_policies(fam)
        H_pi = opt.entropy_pi_star()
        K = len(fam.return_levels())
        known = []
        for c in s.runs:
            hit = np.flatnonzero(c.entropy_pi_star <= 1e-12)
            known.append(float(c.episodes[hit[0]]) if hit.size else math.inf)
        lo, hi = s.quartiles
        rows.append(SolveRow(
            label=str(label), H_pi=H_pi, levels=K, bound=H_pi / math.log2(K) if K > 1 else math.inf,
            data_median=_median(np.array(known)), reinforce_median=s.median_episodes,
            reinforce_q25=lo, reinforce_q75=hi, solved=int(np.isfinite(s.episodes_to_solve).sum()),
            runs=len(s.runs), summary=s,
        ))
    return SolveTable(tuple(rows))


#: REINFORCE settings of the §3.1 runs: 4 episodes per update, step 2, leave-one-out baseline.
PG_SETTINGS = {"n_updates": 100, "batch_size": 4, "lr": 2.0, "baseline": "loo"}
#: The §3.1 tasks: (label, family name, V, T).
PG_TASKS = (
    ("exact match, V=3, T=3", "exact match", 3, 3),
    ("exact match, V=2, T=4", "exact match", 2, 4),
    ("match count, V=3, T=3", "match count", 3, 3),
    ("token utility, V=2, T=3", "token utility", 2, 3),
)


def chapter_runs(seeds: int = 6) -> SolveTable:
    """:func:`solve_table` on :data:`PG_TASKS` with :data:`PG_SETTINGS` (cached: the chapter, its
    figures and the claim check share one set of runs).

    Parameters
    ----------
    seeds : int
        Seeds ``0 .. seeds-1``; each draws its own hidden ξ from the prior.

    Returns
    -------
    SolveTable

    Examples
    --------
    >>> t = chapter_runs(2)
    >>> [r.label for r in t.rows][:2], t.rows[0].runs
    (['exact match, V=3, T=3', 'exact match, V=2, T=4'], 2)
    """
    return _chapter_runs(_check_int(seeds, "seeds", 1, "run at least one seed"))


@functools.lru_cache(maxsize=4)
def _chapter_runs(seeds: int) -> SolveTable:
    tasks = [(label, chain_family(name, V, T)) for label, name, V, T in PG_TASKS]
    return solve_table(tasks, seeds, **PG_SETTINGS)


def run_information(row: SolveRow, run: int = 0) -> EpisodeInformation:
    """:func:`episode_information` of run ``run`` of a :class:`SolveRow`.

    Examples
    --------
    >>> row = chapter_runs(2).rows[0]
    >>> info = run_information(row, 0)
    >>> bool(len(info.expected_xi) == row.summary.runs[0].episodes[-1])
    True
    """
    curve = row.summary.runs[_check_int(run, "run", 0, "a run number")]
    fam = _family_of(row)
    return episode_information(fam, int(curve.settings["xi"]), curve.trajectories)


def _family_of(row: SolveRow) -> RewardFamily:
    for label, name, V, T in PG_TASKS:
        if label == row.label:
            return chain_family(name, V, T)
    raise ValueError(f"{row.label!r} is not one of the §3.1 tasks")


# ============================================================================ Markov check
def markov_numbers(family: RewardFamily, policies: Sequence[Policy], weights: Any = None) -> dict:
    """``I(G; π* | ξ)`` and friends when the current policy π_θ is itself random (§3.1, §2.4).

    Builds the joint of ξ (the family's prior), a policy index θ (``weights``, default uniform,
    independent of ξ), the trajectory ``τ ~ π_θ``, the return ``G = R_ξ(τ)`` and ``π* = π*_ξ``,
    and measures the conditional independences the data processing inequality needs.

    Parameters
    ----------
    family : RewardFamily
    policies : sequence of Policy
        The candidate current policies, on the family's MDP.
    weights : array_like, optional
        Their probabilities.

    Returns
    -------
    dict
        ``"I(G;π*|ξ)"`` (0 exactly when ``G – ξ – π*`` is a Markov chain), ``"I(G;π*|ξ,θ)"``,
        ``"I(G;θ|ξ)"`` (how much ``G`` depends on the policy once the task is fixed), ``"I(G;θ)"``,
        ``"I(G;ξ)"``, ``"I(G;π*)"``.

    Raises
    ------
    ValueError
        No policies, a policy on another MDP, or weights that are not a distribution.

    Examples
    --------
    >>> fam = chain_family("token utility", 2, 1)
    >>> mdp = fam.mdp
    >>> n = markov_numbers(fam, [behaviour_policy(mdp, 0.9), behaviour_policy(mdp, 0.1)])
    >>> n["I(G;π*|ξ)"], n["I(G;θ|ξ)"] > 0.1
    (0.0, True)
    """
    from .joint import Joint

    if not isinstance(family, RewardFamily):
        raise ValueError(f"family must be a RewardFamily, got {type(family).__name__}")
    policies = list(policies)
    if not policies:
        raise ValueError("give at least one policy")
    for p in policies:
        if not isinstance(p, Policy) or p.mdp.V != family.mdp.V or p.mdp.T != family.mdp.T:
            raise ValueError("every policy must be a Policy on the family's MDP")
    k = len(policies)
    wts = np.full(k, 1.0 / k) if weights is None else np.asarray(weights, dtype=float)
    if wts.shape != (k,) or (wts < 0).any() or abs(wts.sum() - 1) > 1e-9:
        raise ValueError(f"weights must be a distribution over the {k} policies, got {weights!r}")
    bound = as_signal("return").bind(family)
    n_xi, n_tr = family.n_xi, family.mdp.n_trajectories
    opt = optimal_policies(family)
    codes = bound.codes(np.arange(n_xi), np.arange(n_tr))  # (n_xi, n_tr)
    J = Joint.independent(xi=family.prior, theta=wts)
    J = J.with_channel("tau", np.stack([p.trajectory_probs() for p in policies]), "theta")
    G = np.zeros((n_xi, n_tr, bound.K_obs))
    G[np.arange(n_xi)[:, None], np.arange(n_tr)[None, :], codes] = 1.0
    J = J.with_channel("G", G, ["xi", "tau"])
    P = np.zeros((n_xi, opt.n_classes))
    P[np.arange(n_xi), opt.classes] = 1.0
    J = J.with_channel("pi_star", P, "xi")
    clean = lambda x: 0.0 if abs(x) < 1e-12 else float(x)  # noqa: E731
    return {
        "I(G;π*|ξ)": clean(J.I("G", "pi_star", given="xi")),
        "I(G;π*|ξ,θ)": clean(J.I("G", "pi_star", given=["xi", "theta"])),
        "I(G;θ|ξ)": clean(J.I("G", "theta", given="xi")),
        "I(G;θ)": clean(J.I("G", "theta")),
        "I(G;ξ)": clean(J.I("G", "xi")),
        "I(G;π*)": clean(J.I("G", "pi_star")),
    }


# ============================================================================ claim checks
from .claims import Finding, claim  # noqa: E402  (registered with infobandwidth.claims)


def claim_grid() -> ChainTable:
    """The instances of the §3.1 chain claims: 3 families × V ∈ {2, 3} × T ∈ {2, 3} × B ∈ {2, 3, 4}
    × {uniform policy, token ``a`` w.p. 0.8}, uniform priors (72 rows).

    Examples
    --------
    >>> len(claim_grid().rows)
    72
    """
    return chain_grid(Vs=(2, 3), Ts=(2, 3), Bs=(2, 3, 4), policies=(None, 0.8))


@claim("pg-chain-log2B", "3.1",
       "The return of one episode tells at most log2 B bits about the optimal policy: "
       "I(G; π*) ≤ I(G; ξ) ≤ H(G) ≤ log2 B, so at most 1 bit with B = 2 levels and 2 bits with B = 4.")
def _chain_log2B() -> Finding:
    grid = claim_grid()
    s = grid.min_slacks()
    worst = min(s.values())
    rows = grid.rows
    learner_excess = max(r.I_G_pi_given_tau - r.log2_B for r in rows)
    learner_excess = 0.0 if abs(learner_excess) < 1e-12 else learner_excess
    top_ratio = max(r.I_G_xi_given_tau / r.log2_B for r in rows)
    at_ceiling = sum(r.I_G_xi_given_tau >= r.log2_B - 1e-9 for r in rows)
    ok = grid.all_hold() and worst >= -_TOL and learner_excess <= _TOL
    return Finding(
        verdict="holds" if ok else "fails",
        evidence=(f"on {len(rows)} exact instances every link holds (smallest slacks: "
                  f"log2 B − H(G) {s['log2 B − H(G)']:.3f}, H(G) − I(G;ξ) {s['H(G) − I(G;ξ)']:.3f}, "
                  f"I(G;ξ) − I(G;π*) {s['I(G;ξ) − I(G;π*)']:.3f} bits), and so does the learner's "
                  f"version I(G;π*|τ) ≤ I(G;ξ|τ) = H(G|τ) ≤ H(G). The ceiling is a theorem. What an "
                  f"episode teaches about ξ reaches it on {at_ceiling} of {len(rows)} instances, "
                  f"those whose B levels are equally likely given τ."),
        numbers={"instances": len(rows), **{f"min {k} [bits]": v for k, v in s.items()},
                 "max I(G;π*|τ) − log2 B [bits]": learner_excess,
                 "I(G;ξ|τ) = log2 B on": at_ceiling},
    )


def one_bit_numbers() -> dict[str, float]:
    """The numbers of the §3.1 "one bit per episode" check, from the binary tasks of
    :func:`chapter_runs` (exact match on 27 and 16 strings, 6 seeds each).

    Per run: ``H(π*)`` divided by the episodes REINFORCE needed to reach 0.9·J* (bits learned per
    episode), ``H(π*)`` divided by the episodes after which the data determined π* (bits
    delivered per episode); and the largest expected information of any single episode
    (:func:`episode_information`, up to the episode that determined π*).

    Examples
    --------
    >>> n = one_bit_numbers()
    >>> 0 < n["median bits per episode, REINFORCE"] < n["median bits per episode, data"] <= 1
    True
    """
    learned, delivered, top = [], [], 0.0
    for row in chapter_runs().rows:
        if row.levels != 2:
            continue
        fam = _family_of(row)
        for c, n_solve in zip(row.summary.runs, row.summary.episodes_to_solve):
            learned.append(row.H_pi / n_solve if math.isfinite(n_solve) else 0.0)
            hit = np.flatnonzero(c.entropy_pi_star <= 1e-12)   # batch that determined π*
            stop = int(c.episodes[hit[0]]) if hit.size else len(c.trajectories)
            info = episode_information(fam, int(c.settings["xi"]), c.trajectories[:stop])
            k = info.first_known()
            delivered.append(row.H_pi / k if k > 0 else 0.0)
            top = max(top, float(info.expected_pi.max()) if stop else 0.0)
    return {"runs": len(learned),
            "median bits per episode, REINFORCE": _median(np.array(learned)),
            "median bits per episode, data": _median(np.array(delivered)),
            "max expected bits of one episode": top, "log2 B": 1.0}


@claim("pg-one-bit-per-episode", "3.1",
       "With a good/bad return (B = 2), policy gradient learns about one bit of information per "
       "episode.")
def _one_bit_reinforce() -> Finding:
    n = one_bit_numbers()
    rate = n["median bits per episode, REINFORCE"]
    if n["max expected bits of one episode"] > n["log2 B"] + _TOL:
        verdict = "fails"
    else:
        verdict = "holds" if rate >= 0.5 else "bound"
    return Finding(
        verdict=verdict,
        evidence=(f"REINFORCE on hidden strings of 27 and 16 candidates ({n['runs']} runs): no single "
                  f"episode was expected to carry more than {n['max expected bits of one episode']:.3f} "
                  f"bits about π*, the data delivered a median {n['median bits per episode, data']:.3f} "
                  f"bits per episode until they determined π*, and REINFORCE turned them into a "
                  f"solved task at {rate:.3f} bits per episode. One bit is a ceiling, not a rate."),
        numbers=n,
    )


def potential_numbers() -> list[InformationChain]:
    """H(G) for B = 2..10 levels: match count and exact match on ``TokenMDP(2, 9)``, uniform policy.

    Examples
    --------
    >>> rows = potential_numbers()
    >>> len(rows), rows[0].B, rows[-1].B
    (18, 2, 10)
    """
    out = []
    for name in ("match count", "exact match"):
        fam = chain_family(name, 2, 9)
        out += [information_chain(fam, B, label=name) for B in range(2, 11)]
    return out


@claim("pg-potential-1-to-3.3-bits", "3.1",
       "With B = 2 to 10 distinguishable reward levels, the potential bandwidth of policy gradient "
       "is B_potential = H(G) = 1 to 3.3 bits per episode.")
def _potential() -> Finding:
    rows = potential_numbers()
    excess = max(r.H_G - r.log2_B for r in rows)
    ratios = [r.H_G / r.log2_B for r in rows]
    mc = [r for r in rows if r.family == "match count"]
    em = [r for r in rows if r.family == "exact match"]
    if excess > _TOL:
        verdict = "fails"
    else:
        verdict = "holds" if min(ratios) >= 0.9 else "bound"
    return Finding(
        verdict=verdict,
        evidence=(f"H(G) ≤ log2 B on all {len(rows)} instances (hidden 9-token binary string, B = 2..10), "
                  f"but it equals log2 B only when the B levels are equally likely: with partial "
                  f"credit H(G) runs from {min(r.H_G for r in mc):.3f} to {max(r.H_G for r in mc):.3f} "
                  f"bits while log2 B runs from 1 to {max(r.log2_B for r in rows):.2f}; with exact "
                  f"match it is {em[0].H_G:.3f} bits whatever B is. log2 B is the ceiling of H(G), "
                  f"not its value."),
        numbers={"instances": len(rows), "max H(G) − log2 B [bits]": excess,
                 "min H(G)/log2 B": min(ratios), "H(G), match count, B=10 [bits]": mc[-1].H_G,
                 "H(G), exact match [bits]": em[0].H_G},
    )


def markov_instances() -> list[tuple[str, dict]]:
    """:func:`markov_numbers` for the three families on ``TokenMDP(2, 2)`` with a random current
    policy: token ``a`` w.p. 0.9 or w.p. 0.2 at every prefix, each with probability 1/2.

    Examples
    --------
    >>> [name for name, _ in markov_instances()]
    ['exact match', 'match count', 'token utility']
    """
    out = []
    for name in CHAIN_FAMILIES:
        fam = chain_family(name, 2, 2)
        pols = [behaviour_policy(fam.mdp, 0.9), behaviour_policy(fam.mdp, 0.2)]
        out.append((name, markov_numbers(fam, pols)))
    return out


@claim("pg-not-markov-chain", "3.1",
       "G → ξ → π* is not a Markov chain, because G depends on ξ and on the policy π_θ while π* "
       "depends on ξ alone.")
def _not_markov() -> Finding:
    inst = markov_instances()
    cmi = max(n["I(G;π*|ξ)"] for _, n in inst)
    dep = min(n["I(G;θ|ξ)"] for _, n in inst)
    verdict = "fails" if cmi <= 1e-12 else "holds"
    return Finding(
        verdict=verdict,
        evidence=(f"with the current policy itself random (two candidates), G does depend on it "
                  f"(I(G;π_θ|ξ) ≥ {dep:.3f} bits) and yet I(G;π*|ξ) = {cmi:.3g} on all three families: "
                  f"G and π* are independent given ξ, which is exactly the Markov chain G – ξ – π* "
                  f"the data processing inequality needs. Once ξ is known π* is fixed, whatever else "
                  f"G depends on."),
        numbers={"families": len(inst), "max I(G;π*|ξ) [bits]": cmi,
                 "min I(G;π_θ|ξ) [bits]": dep},
    )


@claim("pg-mi-le-entropy-by-dpi", "3.1",
       "I(G; ξ) ≤ H(G) by the data processing inequality: compressing T tokens into one scalar can "
       "only lose information.")
def _mi_le_entropy() -> Finding:
    rows = claim_grid().rows
    slack = min(r.H_G - r.I_G_xi for r in rows)
    dpi_bound_larger = sum(r.H_xi + 0.0 > r.H_G + _TOL for r in rows)
    verdict = "holds" if slack >= -_TOL else "fails"
    return Finding(
        verdict=verdict,
        evidence=(f"the inequality holds on all {len(rows)} instances (smallest slack {slack:.3f} "
                  f"bits = H(G|ξ)), but it is the bound I(X;Y) ≤ H(X) of §2.3, true of any signal. "
                  f"Processing the compression (ξ, τ) → G only gives I(G;ξ) ≤ H(ξ), which is above "
                  f"H(G) on {dpi_bound_larger} of {len(rows)} instances."),
        numbers={"instances": len(rows), "min H(G) − I(G;ξ) [bits]": slack,
                 "H(ξ) > H(G) on": dpi_bound_larger},
    )


def invertible_numbers() -> dict[str, float]:
    """The §3.1 equality condition on a counterexample and on the claim grid.

    The counterexample: one token, ξ ∈ {a, b} uniform, ``R_ξ(τ) = 1`` iff ``τ ≠ ξ`` (so ``G`` is an
    invertible function of ξ once ``τ`` is fixed), uniform policy.

    Examples
    --------
    >>> n = invertible_numbers()
    >>> n["XOR: I(G;ξ) [bits]"], n["XOR: H(G) [bits]"], n["XOR: I(G;ξ|τ) [bits]"]
    (0.0, 1.0, 1.0)
    """
    from .rewards import reward_table

    xor = reward_table(TokenMDP(2, 1), [[0, 1], [1, 0]], labels=["a", "b"])
    c = information_chain(xor, 2, label="xor")
    rows = claim_grid().rows
    dev = max(abs(r.I_G_xi_given_tau - r.H_G_given_tau) for r in rows)
    not_invertible = sum(2 ** r.H_xi > r.n_used + 0.5 for r in rows)
    return {"XOR: I(G;ξ) [bits]": c.I_G_xi, "XOR: H(G) [bits]": c.H_G,
            "XOR: I(G;ξ|τ) [bits]": c.I_G_xi_given_tau, "XOR: H(G|τ) [bits]": c.H_G_given_tau,
            "instances": len(rows), "max |I(G;ξ|τ) − H(G|τ)| [bits]": dev,
            "G not invertible in ξ on": not_invertible}


@claim("pg-equal-when-invertible", "3.1",
       "I(G; ξ) and H(G) are equal when the return is an invertible function of ξ given the final "
       "state s_T.")
def _equal_when_invertible() -> Finding:
    n = invertible_numbers()
    gap = n["XOR: H(G) [bits]"] - n["XOR: I(G;ξ) [bits]"]
    verdict = "fails" if gap > 1e-9 else "holds"
    return Finding(
        verdict=verdict,
        evidence=(f"a one-token task whose return is 1 iff the answer differs from ξ is invertible in ξ "
                  f"for each answer, yet under a uniform policy I(G;ξ) = {n['XOR: I(G;ξ) [bits]']:.3f} "
                  f"while H(G) = {n['XOR: H(G) [bits]']:.3f} bit. What holds is the conditional "
                  f"identity I(G;ξ|τ) = H(G|τ) (here {n['XOR: I(G;ξ|τ) [bits]']:.3f} bit), and it "
                  f"needs only a deterministic reward: on all {n['instances']} grid instances the "
                  f"two sides differ by at most {n['max |I(G;ξ|τ) − H(G|τ)| [bits]']:.1g} bits, and "
                  f"in {n['G not invertible in ξ on']} of them G is not invertible."),
        numbers=n,
    )
