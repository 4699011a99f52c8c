"""The experiments of chapter 4.2 (why LoRA works): accumulation instances and capacity arithmetic.

Two halves, as in the chapter:

* **Information accumulation.** :data:`ACCUMULATION_CASES` are the exact instances (family, ``V``,
  ``T``, reward levels) on which the chapter, its figure, its demo and its claim checks compute
  :func:`~infobandwidth.signals.accumulation.information_accumulation`; :func:`accumulation` runs one
  of them (cached), :func:`accumulation_table` tabulates them all.
* **Capacity arithmetic.** The article's numbers (:data:`ARTICLE`), the adapter parameter count of a
  ``d_in × d_out`` matrix (:func:`adapter_parameters`), published transformer shapes
  (:data:`LLAMA2_7B`, :data:`LLAMA2_70B`) with the count of an adapter on every projection of every
  layer (:func:`model_adapter_parameters`), byte units (:func:`byte_sizes`) and the smallest rank whose
  capacity covers a number of bits (:func:`smallest_rank`). Everything is exact integer or sympy
  arithmetic.
"""
from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from infobandwidth.base.validate import check_int
from infobandwidth.model.mdp import TokenMDP
from infobandwidth.model.rewards import RewardFamily, make_family
from infobandwidth.signals.accumulation import Accumulation, information_accumulation

__all__ = [
    "ARTICLE",
    "ACCUMULATION_CASES",
    "ACCUMULATION_EPISODES",
    "DEMO_FAMILIES",
    "DEMO_RUNS",
    "AccumulationCase",
    "case_family",
    "accumulation",
    "AccumulationTable",
    "accumulation_table",
    "demo_accumulation",
    "ModelShape",
    "LLAMA2_7B",
    "LLAMA2_70B",
    "MODEL_SHAPES",
    "adapter_parameters",
    "model_adapter_parameters",
    "byte_sizes",
    "smallest_rank",
    "capacity_symbols",
]

#: The numbers §4.2 of the article uses (bits per episode, episodes, rank, width, bits per parameter,
#: model size), exactly as it states them.
ARTICLE = {
    "c": 2, "N_small": 1_000, "N_large": 10_000, "r": 8, "d": 4096, "bits_per_parameter": 32,
    "M": 7 * 10**9, "bits_small": 2_000, "bytes_small": 250, "kb_large": sp.Rational(5, 2),
    "params": 65_536, "storage_bits": 2_097_152, "storage_kb": 256, "ratio": 100,
    "kb_at_large": 20, "ratio_at_large": 10, "ratio_7b": 10**8,
}


# ============================================================================ accumulation
@dataclass(frozen=True)
class AccumulationCase:
    """One exact instance of the chapter: a reward family on a token MDP.

    Attributes
    ----------
    name : str
        ``make_family`` name.
    V, T : int
        Vocabulary size and horizon.
    levels : int or None
        ``B`` for match count (``None``: the family's default).
    """

    name: str
    V: int
    T: int
    levels: int | None = None

    @property
    def label(self) -> str:
        """How the chapter prints the case, e.g. ``"match count, V = 2, T = 3, B = 4"``."""
        fam = case_family(self)
        return f"{self.name.replace('_', ' ')}, V = {self.V}, T = {self.T}, B = {len(fam.return_levels())}"


#: The exact instances of the chapter's table and claim checks.
ACCUMULATION_CASES = (
    AccumulationCase("exact_match", 2, 3),
    AccumulationCase("exact_match", 3, 2),
    AccumulationCase("match_count", 2, 3, levels=2),
    AccumulationCase("match_count", 2, 3),
    AccumulationCase("match_count", 2, 4),
    AccumulationCase("token_utility", 2, 2),
)
#: Episodes of the chapter's accumulation curves.
ACCUMULATION_EPISODES = 12


@functools.lru_cache(maxsize=None)
def case_family(case: AccumulationCase) -> RewardFamily:
    """The reward family of a case (uniform prior)."""
    kw = {} if case.levels is None else {"levels": case.levels}
    return make_family(case.name, TokenMDP(case.V, case.T), **kw)


@functools.lru_cache(maxsize=None)
def accumulation(case: AccumulationCase, policy: str, episodes: int = ACCUMULATION_EPISODES,
                 method: str = "exact", seed: int | None = None, n_runs: int = 300) -> Accumulation:
    """:func:`information_accumulation` on a case (cached: chapter, figure and claims share it)."""
    return information_accumulation(case_family(case), policy, episodes, method=method, seed=seed,
                                    n_runs=n_runs)


@dataclass(frozen=True)
class AccumulationTable:
    """The rows of :func:`accumulation_table`; shown as an HTML table in a notebook."""

    rows: list

    _COLUMNS = (("instance", "label", "{}"), ("learner", "policy", "{}"), ("B", "B", "{}"),
                ("log₂ B", "log2B", "{:.2f}"), ("H(π*)", "H_pi", "{:.2f}"),
                ("c₁ (1st episode)", "c1", "{:.3f}"), ("largest n with n·c₁ < H(π*)", "n_linear", "{}"),
                ("I_total(n)/n at that n", "c_linear", "{:.3f}"), ("episodes to 90 % of H(π*)", "to_90", "{}"))

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h, _, _ in self._COLUMNS)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(fmt.format(_shown(r, k)))}</td>"
                             for _, k, fmt in self._COLUMNS) + "</tr>"
            for r in self.rows)
        caption = ("<caption>exact; c₁ and I_total about π*; the learner starts from a uniform prior"
                   "</caption>")
        return (_TABLE_STYLE + '<div style="overflow-x:auto"><table class="ib-accumulation-table">'
                + caption + f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def _shown(row: dict, key: str):
    if key == "policy":
        return row[key].replace("_", " ")
    if key == "to_90" and row[key] < 0:
        return f"> {row['episodes']}"
    return row[key]


#: Compact, right-aligned numeric table (scoped to its class).
_TABLE_STYLE = (
    "<style>.ib-accumulation-table{font-size:.82em;border-collapse:collapse;margin:.5em 0}"
    ".ib-accumulation-table th,.ib-accumulation-table td{padding:.15em .45em;text-align:right;"
    "border-bottom:1px solid #ddd;vertical-align:bottom}"
    ".ib-accumulation-table td{white-space:nowrap}"
    ".ib-accumulation-table td:first-child,.ib-accumulation-table th:first-child{text-align:left}"
    ".ib-accumulation-table caption{caption-side:bottom;font-size:.9em;text-align:left;"
    "padding-top:.3em}</style>"
)


def accumulation_table(cases=ACCUMULATION_CASES, policies=("uniform", "posterior_sampling"),
                       episodes: int = ACCUMULATION_EPISODES) -> AccumulationTable:
    """One row per (case, policy): ``B``, ``H(ξ)``, ``H(π*)``, the first episode's new bits ``c₁``,
    the mean new bits over the linear regime, episodes to 90 % of ``H(π*)``, ``I_total(N)``.

    Examples
    --------
    >>> row = accumulation_table(ACCUMULATION_CASES[:1], ("posterior_sampling",)).rows[0]
    >>> row["B"], round(row["c1"], 3), row["to_90"]
    (2, 0.544, 6)
    """
    rows = []
    for case in cases:
        for pol in policies:
            a = accumulation(case, pol, episodes)
            lin = a.linear_regime()
            n_lin = int(lin[-1]) if lin.size else 1
            rows.append({
                "case": case, "label": case.label, "policy": pol, "B": a.n_levels,
                "log2B": a.log2_levels, "H_xi": a.H_xi, "H_pi": a.H_pi_star,
                "c1": float(a.new_pi_star[0]), "c_max": float(a.new_pi_star.max()),
                "n_linear": n_lin, "c_linear": float(a.total_pi_star[n_lin] / n_lin),
                "to_90": a.episodes_to(0.9), "total": float(a.total_pi_star[-1]), "episodes": a.N,
            })
    return AccumulationTable(rows)


#: The families of the demo: (label, make_family name, levels: None = default, 2 = binary).
DEMO_FAMILIES = {
    "exact match (B = 2)": ("exact_match", None),
    "match count, 2 levels": ("match_count", 2),
    "match count, B = T + 1": ("match_count", None),
    "token utility": ("token_utility", None),
}
#: Largest |Ξ| the demo computes exactly; above it, Monte Carlo with a fixed seed.
_DEMO_EXACT_XI = 9
#: Learners simulated per Monte Carlo frame of the demo.
DEMO_RUNS = 200


@functools.lru_cache(maxsize=None)
def demo_accumulation(family: str, T: int, policy: str, episodes: int = 10) -> Accumulation:
    """The accumulation of one demo frame (V = 2): exact if ``|Ξ| ≤ 9``, else :data:`DEMO_RUNS`
    learners, seed 0."""
    if family not in DEMO_FAMILIES:
        raise ValueError(f"unknown demo family {family!r}; valid: {', '.join(DEMO_FAMILIES)}")
    name, levels = DEMO_FAMILIES[family]
    case = AccumulationCase(name, 2, int(T), levels)
    method = "exact" if case_family(case).n_xi <= _DEMO_EXACT_XI else "sample"
    return accumulation(case, policy, episodes, method, 0 if method == "sample" else None, DEMO_RUNS)


# ============================================================================ capacity
@dataclass(frozen=True)
class ModelShape:
    """The shapes of a decoder-only transformer that an adapter sees (published configs).

    Attributes
    ----------
    name : str
    d_model, n_layers, d_ff, n_heads, n_kv_heads, vocab : int
        Width, layers, MLP width, attention heads, key/value heads (grouped-query attention when
        fewer than ``n_heads``), vocabulary.
    source : str
        The bibliography key of the paper that publishes the configuration.
    """

    name: str
    d_model: int
    n_layers: int
    d_ff: int
    n_heads: int
    n_kv_heads: int
    vocab: int
    source: str

    @property
    def d_kv(self) -> int:
        """Output width of the key and value projections."""
        return self.d_model // self.n_heads * self.n_kv_heads

    def projections(self) -> dict[str, tuple[int, int]]:
        """``{name: (d_in, d_out)}`` of the seven linear maps of one layer (attention q, k, v, o;
        gated MLP gate, up, down)."""
        d, kv, ff = self.d_model, self.d_kv, self.d_ff
        return {"q": (d, d), "k": (d, kv), "v": (d, kv), "o": (d, d),
                "gate": (d, ff), "up": (d, ff), "down": (ff, d)}

    @property
    def n_parameters(self) -> int:
        """All weights: embeddings and output head (untied), projections, RMSNorm gains."""
        per_layer = sum(a * b for a, b in self.projections().values()) + 2 * self.d_model
        return 2 * self.vocab * self.d_model + self.n_layers * per_layer + self.d_model


#: Llama 2 7B: 32 layers of width 4096, MLP width 11008, 32 heads (Touvron et al., 2023).
LLAMA2_7B = ModelShape("Llama-2-7B", 4096, 32, 11008, 32, 32, 32000, "touvron2023llama")
#: Llama 2 70B: 80 layers of width 8192, MLP width 28672, 64 heads sharing 8 key/value heads.
LLAMA2_70B = ModelShape("Llama-2-70B", 8192, 80, 28672, 64, 8, 32000, "touvron2023llama")
#: The shapes the chapter uses.
MODEL_SHAPES = (LLAMA2_7B, LLAMA2_70B)


def adapter_parameters(d_in: Any, d_out: Any, r: Any) -> Any:
    """Parameters of a rank-``r`` adapter ``ΔW = B A`` on a ``d_in → d_out`` map: ``r (d_in + d_out)``.

    ``B`` is ``d_out × r`` and ``A`` is ``r × d_in``; for a square ``d × d`` matrix this is the
    article's ``2rd``. Works on integers and on sympy symbols.

    Examples
    --------
    >>> adapter_parameters(4096, 4096, 8)
    65536
    >>> r, d = sp.symbols("r d", positive=True)
    >>> adapter_parameters(d, d, r)
    2*d*r
    """
    for name, v in (("d_in", d_in), ("d_out", d_out), ("r", r)):
        if isinstance(v, sp.Basic) and not v.is_number:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, np.integer, sp.Integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer or a sympy symbol, got {v!r}")
    if any(isinstance(v, sp.Basic) and not v.is_number for v in (d_in, d_out, r)):
        return sp.expand(r * (d_in + d_out))
    return int(r) * (int(d_in) + int(d_out))


def model_adapter_parameters(shape: ModelShape, r: Any, targets: Any = None) -> Any:
    """Parameters of rank-``r`` adapters on ``targets`` (default: all seven) in every layer.

    Examples
    --------
    >>> model_adapter_parameters(LLAMA2_7B, 8)            # q, k, v, o, gate, up, down; 32 layers
    19988480
    >>> model_adapter_parameters(LLAMA2_7B, 8, ["q", "v"])  # the original LoRA choice
    4194304
    """
    if not isinstance(shape, ModelShape):
        raise ValueError(f"shape must be a ModelShape such as LLAMA2_7B, got {type(shape).__name__}")
    proj = shape.projections()
    targets = list(proj) if targets is None else list(targets)
    bad = [t for t in targets if t not in proj]
    if bad or not targets:
        raise ValueError(f"unknown projections {bad}; choose among {', '.join(proj)}")
    return shape.n_layers * sum(adapter_parameters(*proj[t], r) for t in targets)


def byte_sizes(bits: Any) -> dict[str, Any]:
    """``bits`` as bytes, kB (1000 bytes) and KiB (1024 bytes), exactly (sympy rationals).

    Examples
    --------
    >>> s = byte_sizes(2_097_152)
    >>> s["bytes"], s["kB"], s["KiB"]
    (262144, 32768/125, 256)
    """
    try:
        b = sp.Rational(bits) / 8
    except (TypeError, ValueError):
        raise ValueError(f"bits must be a number, got {bits!r}") from None
    if not b.is_finite or b < 0:
        raise ValueError(f"bits must be a finite number ≥ 0, got {bits!r}")
    return {"bytes": b, "kB": b / 1000, "KiB": b / 1024}


def smallest_rank(bits: float, params_per_rank: int, bits_per_parameter: float) -> int:
    """Smallest rank ``r ≥ 1`` with ``r · params_per_rank · bits_per_parameter ≥ bits``.

    Parameters
    ----------
    bits : float
        The information the adapter must hold.
    params_per_rank : int
        Adapter parameters per unit of rank (``2d`` for one square matrix).
    bits_per_parameter : float
        What one parameter is assumed to hold.

    Examples
    --------
    >>> smallest_rank(20_000, 2 * 4096, 32), smallest_rank(20_000, 2 * 4096, 1)
    (1, 3)
    """
    if not (math.isfinite(bits) and bits >= 0):
        raise ValueError(f"bits must be a finite number ≥ 0, got {bits!r}")
    check_int(params_per_rank, "params_per_rank", 1, "give the adapter parameters per unit of rank")
    if not (math.isfinite(bits_per_parameter) and bits_per_parameter > 0):
        raise ValueError(f"bits_per_parameter must be positive, got {bits_per_parameter!r}")
    return max(1, math.ceil(bits / (params_per_rank * bits_per_parameter)))


def capacity_symbols() -> dict[str, sp.Symbol]:
    """The sympy symbols of the capacity arithmetic: rank ``r``, width ``d``, bits per parameter
    ``beta``, episodes ``N`` and bits per episode ``c``.

    Examples
    --------
    >>> s = capacity_symbols()
    >>> adapter_parameters(s["d"], s["d"], s["r"]) * s["beta"]
    2*beta*d*r
    """
    r, d, beta, N, c = sp.symbols("r d beta N c", positive=True)
    return {"r": r, "d": d, "beta": beta, "N": N, "c": c}
