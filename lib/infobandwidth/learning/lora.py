"""LoRA without regret, in miniature: a small policy network, low-rank adapters, RL and SFT (§4.2).

Used by ``book/part4/lora-miniature.md``. Everything is plain numpy with hand-written gradients.

The network
-----------
A **contextual bandit** over ``P`` prompts and a vocabulary of ``V`` tokens: prompt ``p`` has an
embedding row ``E[p]`` of width ``d``; one hidden layer and a softmax give the policy

    h = tanh(W1 x + b1),    z = W2 h + b2,    π(· | p) = softmax(z),

with ``W1`` of shape ``(d, d)`` and ``W2`` of shape ``(V, d)``. One step per episode keeps the
expected return *exact* (an average over prompts of one table entry) and the ideal observer's
information exact too, while the learning problem (many prompts sharing one network) is the one
LoRA faces.

Fine-tuning
-----------
Full fine-tuning trains ``W1`` and ``W2``. A rank-``r`` **LoRA** adapter (Hu et al. 2022) freezes
them and trains ``W1 + B1 A1`` and ``W2 + B2 A2`` instead, with ``B`` of shape ``(d_out, r)``
starting at zero (so the adapted network *is* the pretrained one) and ``A`` of shape
``(r, d_in)`` starting Gaussian with variance ``1/d_in``. Biases and embeddings stay frozen in both
arms, so the arms differ only in the form of the update. Both arms use Adam.

* :func:`rl_finetune` — REINFORCE on a sparse 0/1 reward (one hidden correct token per prompt),
  groups of episodes per prompt with a leave-one-out baseline;
* :func:`sft_finetune` — supervised fine-tuning on tokens sampled from a per-prompt target
  distribution (information-rich targets);
* :func:`observer_bits` — what the ideal Bayesian observer of the RL episodes learned, exactly;
* :func:`description_length` — the fewest bits of a truncated, quantised update that keep the
  fine-tuned score.
"""
from __future__ import annotations

import contextlib
import ctypes
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from infobandwidth.base.numerics import row_entropy_bits
from infobandwidth.base.progress import progress
from infobandwidth.base.validate import (
    as_array,
    check_int,
    check_rate,
    check_stochastic,
    rng_from_seed,
)
from infobandwidth.information.quantise import bin_centers, quantise

__all__ = [
    "softmax",
    "PolicyNet",
    "LoRA",
    "init_network",
    "init_lora",
    "forward",
    "backward",
    "policy_table",
    "merged",
    "lora_parameter_count",
    "full_parameter_count",
    "pretrain",
    "FinetuneRun",
    "rl_finetune",
    "sft_finetune",
    "success_rate",
    "kl_removed",
    "observer_bits",
    "ObserverBits",
    "sweep",
    "description_length",
    "DescriptionLength",
    "one_blas_thread",
    "ADAPTED",
    "FLOAT_BITS",
]

#: The weight matrices that full fine-tuning trains and LoRA adapts.
ADAPTED = ("W1", "W2")
#: Bits of one stored parameter (fp32), the article's storage unit.
FLOAT_BITS = 32
_ADAM = (0.9, 0.999, 1e-8)


# ------------------------------------------------------------------------------------------------
# softmax and the network
# ------------------------------------------------------------------------------------------------
def softmax(logits: Any) -> np.ndarray:
    """Softmax along the last axis, stable for any finite logits.

    The largest logit of each row is subtracted before exponentiating, so ``exp`` never
    overflows and at least one term of each row is ``1``.

    Parameters
    ----------
    logits : array_like
        Finite numbers, at least one axis.

    Returns
    -------
    numpy.ndarray
        Same shape; each row (last axis) sums to 1.

    Raises
    ------
    ValueError
        If ``logits`` contains NaN or inf.

    Examples
    --------
    >>> softmax([1000.0, 1000.0]).tolist()
    [0.5, 0.5]
    >>> softmax([[0.0, np.log(3.0)]]).round(3).tolist()
    [[0.25, 0.75]]
    """
    z = as_array(logits, name="logits")
    if not np.isfinite(z).all():
        raise ValueError("logits contain NaN or inf; the network diverged or was fed bad inputs — "
                         "lower the learning rate")
    return _softmax(z)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@contextlib.contextmanager
def one_blas_thread():
    """Run the block with numpy's OpenBLAS limited to one thread, then restore the setting.

    The matrices here are small (at most 128 × 128); on a shared machine OpenBLAS's threads fight
    over the cores and a run can be 20 times slower than on one thread. If numpy's OpenBLAS cannot
    be found (another BLAS), the block runs unchanged.
    """
    lib = _openblas()
    if lib is None:
        yield
        return
    get, put = lib
    before = get()
    put(1)
    try:
        yield
    finally:
        put(before)


_BLAS: list = []


def _openblas():
    if not _BLAS:
        found = None
        try:
            with open("/proc/self/maps") as fh:
                paths = sorted(set(re.findall(r"/\S*openblas\S*\.so\S*", fh.read())))
            for path in paths:
                so = ctypes.CDLL(path)
                for prefix in ("scipy_openblas_", "openblas_"):
                    for suffix in ("64_", ""):
                        g = getattr(so, f"{prefix}get_num_threads{suffix}", None)
                        s = getattr(so, f"{prefix}set_num_threads{suffix}", None)
                        if g is not None and s is not None and found is None:
                            s.argtypes = [ctypes.c_int]
                            found = (g, s)
        except OSError:
            found = None
        _BLAS.append(found)
    return _BLAS[0]


@dataclass
class PolicyNet:
    """A one-hidden-layer softmax policy over ``V`` tokens for each of ``P`` prompts.

    Attributes
    ----------
    E : (P, d) prompt embeddings; W1 : (d, d); b1 : (d,); W2 : (V, d); b2 : (V,)
    """

    E: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    @property
    def n_prompts(self) -> int:
        return self.E.shape[0]

    @property
    def width(self) -> int:
        return self.W1.shape[0]

    @property
    def vocab(self) -> int:
        return self.W2.shape[0]

    def copy(self) -> PolicyNet:
        return PolicyNet(*(getattr(self, k).copy() for k in ("E", "W1", "b1", "W2", "b2")))


@dataclass
class LoRA:
    """Rank-``r`` adapters of ``W1`` and ``W2``: ``ΔW1 = B1 A1`` and ``ΔW2 = B2 A2``."""

    B1: np.ndarray
    A1: np.ndarray
    B2: np.ndarray
    A2: np.ndarray

    @property
    def rank(self) -> int:
        return self.A1.shape[0]

    def delta(self) -> dict[str, np.ndarray]:
        """The update each adapted matrix receives, ``{"W1": B1 A1, "W2": B2 A2}``."""
        return {"W1": self.B1 @ self.A1, "W2": self.B2 @ self.A2}


def init_network(n_prompts: int, width: int, vocab: int, seed: int = 0) -> PolicyNet:
    """A random network (before pretraining): Gaussian weights scaled by ``1/sqrt(fan_in)``.

    Parameters
    ----------
    n_prompts, width, vocab : int
        ``P`` prompts, hidden width ``d``, vocabulary size ``V`` (all ≥ 2).
    seed : int

    Examples
    --------
    >>> net = init_network(8, 16, 5, seed=0)
    >>> net.E.shape, net.W1.shape, net.W2.shape
    ((8, 16), (16, 16), (5, 16))
    """
    P = check_int(n_prompts, "n_prompts", 2, "give the number of prompts, e.g. 64")
    d = check_int(width, "width", 2, "give the hidden width d, e.g. 64")
    V = check_int(vocab, "vocab", 2, "give the vocabulary size |V|, e.g. 32")
    rng = rng_from_seed(seed)
    return PolicyNet(E=rng.normal(size=(P, d)), W1=rng.normal(size=(d, d)) / math.sqrt(d),
                     b1=np.zeros(d), W2=rng.normal(size=(V, d)) / math.sqrt(d), b2=np.zeros(V))


def _check_rank(rank: Any, net: PolicyNet) -> int:
    top = min(net.width, net.vocab)
    r = check_int(rank, "rank", 1, f"a LoRA rank is an integer between 1 and {top}")
    if r > top:
        raise ValueError(f"rank {r} exceeds min(d, |V|) = {top}; a larger rank cannot add anything "
                         "— use full fine-tuning (rank=None) instead")
    return r


def init_lora(net: PolicyNet, rank: int, seed: int = 0) -> LoRA:
    """LoRA adapters of rank ``r`` for ``W1`` and ``W2``: ``B = 0``, ``A ~ N(0, 1/d_in)``.

    Because ``B`` starts at zero, the adapted network starts as the pretrained one exactly.

    Examples
    --------
    >>> net = init_network(8, 16, 5, seed=0)
    >>> ad = init_lora(net, 2, seed=1)
    >>> ad.B1.shape, ad.A1.shape, ad.B2.shape, ad.A2.shape, float(abs(ad.B2).max())
    ((16, 2), (2, 16), (5, 2), (2, 16), 0.0)
    """
    r = _check_rank(rank, net)
    rng = rng_from_seed(seed)
    d, V = net.width, net.vocab
    return LoRA(B1=np.zeros((d, r)), A1=rng.normal(size=(r, d)) / math.sqrt(d),
                B2=np.zeros((V, r)), A2=rng.normal(size=(r, d)) / math.sqrt(d))


def lora_parameter_count(width: int, vocab: int, rank: int) -> int:
    """Trainable parameters of rank-``r`` adapters on ``W1`` (d×d) and ``W2`` (V×d): ``r(3d + V)``.

    Examples
    --------
    >>> lora_parameter_count(64, 32, 1)
    224
    """
    d = check_int(width, "width", 1, "the hidden width d")
    V = check_int(vocab, "vocab", 1, "the vocabulary size")
    r = check_int(rank, "rank", 1, "a LoRA rank is a positive integer")
    return r * (d + d) + r * (V + d)


def full_parameter_count(width: int, vocab: int) -> int:
    """Parameters full fine-tuning trains: ``d² + V d``.

    Examples
    --------
    >>> full_parameter_count(64, 32)
    6144
    """
    d = check_int(width, "width", 1, "the hidden width d")
    V = check_int(vocab, "vocab", 1, "the vocabulary size")
    return d * d + V * d


def _weights(net: PolicyNet, adapter: LoRA | None):
    if adapter is None:
        return net.W1, net.W2
    return net.W1 + adapter.B1 @ adapter.A1, net.W2 + adapter.B2 @ adapter.A2


def merged(net: PolicyNet, adapter: LoRA | None = None, delta: dict | None = None) -> PolicyNet:
    """The network with the adapter (or an explicit ``{"W1": ΔW1, "W2": ΔW2}``) folded in."""
    out = net.copy()
    if adapter is not None:
        out.W1, out.W2 = _weights(net, adapter)
    if delta is not None:
        for k, v in delta.items():
            if k not in ADAPTED or np.shape(v) != getattr(net, k).shape:
                raise ValueError(f"delta[{k!r}] must be one of {ADAPTED} with the shape of that matrix")
            setattr(out, k, getattr(out, k) + v)
    return out


def forward(net: PolicyNet, prompts: Any, adapter: LoRA | None = None) -> dict[str, np.ndarray]:
    """The forward pass for a batch of prompt ids; returns the cache :func:`backward` needs.

    Returns
    -------
    dict
        ``prompts``, ``X`` (n, d), ``H`` (n, d), ``Z`` (n, V) logits and ``probs`` (n, V).

    Examples
    --------
    >>> net = init_network(4, 8, 3, seed=0)
    >>> c = forward(net, [0, 2, 2])
    >>> c["probs"].shape, bool(np.allclose(c["probs"].sum(axis=1), 1))
    ((3, 3), True)
    """
    idx = _check_prompts(prompts, net)
    W1, W2 = _weights(net, adapter)
    X = net.E[idx]
    H = np.tanh(X @ W1.T + net.b1)
    Z = H @ W2.T + net.b2
    return {"prompts": idx, "X": X, "H": H, "Z": Z, "probs": _softmax(Z)}


def _check_prompts(prompts: Any, net: PolicyNet) -> np.ndarray:
    idx = np.asarray(prompts)
    if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu":
        raise ValueError("prompts must be a non-empty 1-D array of integer prompt ids")
    if idx.min() < 0 or idx.max() >= net.n_prompts:
        raise ValueError(f"prompt ids must lie in 0..{net.n_prompts - 1}, got {idx.min()}..{idx.max()}")
    return idx


def backward(net: PolicyNet, cache: dict, dZ: np.ndarray, adapter: LoRA | None = None,
             wrt: str = "full") -> dict[str, np.ndarray]:
    """Gradients of a loss ``L`` from ``dZ = ∂L/∂z`` (one row per example), by hand.

    With ``U = tanh'(·) = 1 - h²``: ``∂L/∂W2 = dZᵀ H``, ``dA = (dZ W2) ⊙ U``, ``∂L/∂W1 = dAᵀ X``;
    for an adapter on ``W = W0 + B A``: ``∂L/∂B = (∂L/∂W) Aᵀ`` and ``∂L/∂A = Bᵀ (∂L/∂W)``.

    Parameters
    ----------
    wrt : {"full", "lora", "all"}
        ``"full"``: ``W1, W2``; ``"lora"``: ``B1, A1, B2, A2`` (needs ``adapter``); ``"all"``:
        also ``E, b1, b2`` (pretraining).
    """
    if wrt not in ("full", "lora", "all"):
        raise ValueError(f"wrt must be 'full', 'lora' or 'all', got {wrt!r}")
    if wrt == "lora" and adapter is None:
        raise ValueError("wrt='lora' needs the adapter whose gradients you want")
    _, W2 = _weights(net, adapter)
    H, X = cache["H"], cache["X"]
    gW2 = dZ.T @ H
    dpre = (dZ @ W2) * (1.0 - H * H)
    gW1 = dpre.T @ X
    if wrt == "lora":
        return {"B1": gW1 @ adapter.A1.T, "A1": adapter.B1.T @ gW1,
                "B2": gW2 @ adapter.A2.T, "A2": adapter.B2.T @ gW2}
    grads = {"W1": gW1, "W2": gW2}
    if wrt == "all":
        W1, _ = _weights(net, adapter)
        gE = np.zeros_like(net.E)
        np.add.at(gE, cache["prompts"], dpre @ W1)
        grads.update(E=gE, b1=dpre.sum(axis=0), b2=dZ.sum(axis=0))
    return grads


def policy_table(net: PolicyNet, adapter: LoRA | None = None) -> np.ndarray:
    """``π(a | p)`` for every prompt and token, shape ``(P, V)``."""
    return forward(net, np.arange(net.n_prompts), adapter)["probs"]


class _Adam:
    def __init__(self, params: dict[str, np.ndarray], lr: float):
        self.params, self.lr, self.t = params, lr, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, grads: dict[str, np.ndarray]) -> None:
        b1, b2, eps = _ADAM
        self.t += 1
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for k, g in grads.items():
            m, v = self.m[k], self.v[k]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            self.params[k] -= self.lr * (m / c1) / (np.sqrt(v / c2) + eps)


def _kl_rows(q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """KL(q_p || p_p) in bits for each row."""
    return -row_entropy_bits(q) - (q * np.log2(np.maximum(p, 1e-300))).sum(axis=1)


def _check_table(table: Any, net: PolicyNet | None, name: str) -> np.ndarray:
    t = as_array(table, name=name, ndim=2)
    check_stochastic(t, name=name)
    if net is not None and t.shape != (net.n_prompts, net.vocab):
        raise ValueError(f"{name} has shape {t.shape}; it needs one row per prompt and one column per "
                         f"token, ({net.n_prompts}, {net.vocab})")
    return t


@one_blas_thread()
def pretrain(base: Any, width: int, *, steps: int = 1500, lr: float = 0.01, seed: int = 0) -> PolicyNet:
    """Fit a fresh network to the base distribution ``base[p, a]`` by full-batch Adam on KL.

    Every parameter (embeddings, weights, biases) is trained. The result plays the pretrained
    model that fine-tuning starts from.

    Examples
    --------
    >>> base = softmax(np.random.default_rng(0).normal(size=(6, 4)))
    >>> net = pretrain(base, 8, steps=300, seed=0)
    >>> bool(np.abs(policy_table(net) - base).max() < 0.05)
    True
    """
    q = _check_table(base, None, "base")
    steps = check_int(steps, "steps", 1, "the number of pretraining steps")
    lr = check_rate(lr, "lr", hint="an Adam step size such as 0.01")
    net = init_network(q.shape[0], width, q.shape[1], seed=seed)
    params = {k: getattr(net, k) for k in ("E", "W1", "b1", "W2", "b2")}
    opt = _Adam(params, lr)
    everyone = np.arange(net.n_prompts)
    for _ in range(steps):
        cache = forward(net, everyone)
        opt.step(backward(net, cache, (cache["probs"] - q) / net.n_prompts, wrt="all"))
    return net


# ------------------------------------------------------------------------------------------------
# fine-tuning
# ------------------------------------------------------------------------------------------------
def success_rate(probs: np.ndarray, targets: np.ndarray) -> float:
    """``J``: the expected 0/1 reward over uniformly drawn prompts, ``mean_p π(y_p | p)``."""
    return float(probs[np.arange(len(targets)), targets].mean())


def kl_removed(probs: np.ndarray, target: np.ndarray, start: float) -> float:
    """The share of the starting mean KL(target ‖ π) removed: ``1 - KL/KL_start``."""
    return float(1.0 - _kl_rows(target, probs).mean() / start)


@dataclass
class FinetuneRun:
    """One fine-tuning run: its learning curve, its final update and (RL) its episodes."""

    kind: str
    rank: int | None
    lr: float
    seed: int
    episodes: np.ndarray
    score: np.ndarray
    delta: dict[str, np.ndarray]
    prompts: np.ndarray | None = None
    tokens: np.ndarray | None = None
    rewards: np.ndarray | None = None
    settings: dict = field(default_factory=dict)

    @property
    def auc(self) -> float:
        """Area under the curve: the mean score over the evaluation points (a budget-sensitive
        summary, 1 only if the score is 1 from the start)."""
        return float(np.trapezoid(self.score, self.episodes) / (self.episodes[-1] - self.episodes[0]))

    def episodes_to(self, threshold: float) -> float:
        """First evaluated episode count at which the score reaches ``threshold`` (inf if never)."""
        hit = np.flatnonzero(self.score >= threshold)
        return float(self.episodes[hit[0]]) if hit.size else math.inf


def _arm(net: PolicyNet, rank: int | None, seed: int):
    if rank is None:
        params = {"W1": net.W1.copy(), "W2": net.W2.copy()}
        work = net.copy()
        work.W1, work.W2 = params["W1"], params["W2"]
        return work, None, params
    adapter = init_lora(net, rank, seed=seed)
    params = {"B1": adapter.B1, "A1": adapter.A1, "B2": adapter.B2, "A2": adapter.A2}
    return net, adapter, params


def _check_budget(episodes, batch, group):
    episodes = check_int(episodes, "episodes", 1, "the total number of episodes (or examples)")
    batch = check_int(batch, "batch", 1, "the number of prompts per update")
    group = check_int(group, "group", 1, "episodes per prompt in each update")
    if episodes < batch * group:
        raise ValueError(f"episodes = {episodes} is less than one update ({batch} prompts × {group}); "
                         "give a larger budget or a smaller batch")
    return episodes, batch, group


@one_blas_thread()
def _finetune(kind, net, target, rank, lr, episodes, batch, group, seed, eval_every, sampler, score):
    if not isinstance(net, PolicyNet):
        raise ValueError(f"net must be a PolicyNet (see pretrain), got {type(net).__name__}")
    if rank is not None:
        rank = _check_rank(rank, net)
    lr = check_rate(lr, "lr", hint="an Adam step size such as 0.01")
    episodes, batch, group = _check_budget(episodes, batch, group)
    eval_every = check_int(eval_every, "eval_every", 1, "updates between two points of the curve")
    rng = rng_from_seed(seed)
    work, adapter, params = _arm(net, rank, seed)
    opt = _Adam(params, lr)
    n_up = episodes // (batch * group)
    per = batch * group
    xs, ys, log = [0], [score(policy_table(work, adapter))], []
    for u in range(n_up):
        prompts = np.repeat(rng.integers(0, net.n_prompts, size=batch), group)
        cache = forward(work, prompts, adapter)
        tokens, weights, extra = sampler(cache["probs"], prompts, rng)
        dZ = cache["probs"] * weights[:, None]
        dZ[np.arange(per), tokens] -= weights
        dZ /= per
        opt.step(backward(work, cache, dZ, adapter, wrt="full" if rank is None else "lora"))
        if extra is not None:
            log.append((prompts, tokens, extra))
        if (u + 1) % eval_every == 0 or u + 1 == n_up:
            xs.append((u + 1) * per)
            ys.append(score(policy_table(work, adapter)))
    if rank is None:
        delta = {"W1": work.W1 - net.W1, "W2": work.W2 - net.W2}
    else:
        delta = adapter.delta()
    run = FinetuneRun(kind, rank, lr, seed, np.array(xs, dtype=float), np.array(ys), delta,
                      settings=dict(episodes=n_up * per, batch=batch, group=group))
    if log:
        run.prompts = np.concatenate([x[0] for x in log])
        run.tokens = np.concatenate([x[1] for x in log])
        run.rewards = np.concatenate([x[2] for x in log])
    return run


def rl_finetune(net: PolicyNet, targets: Any, *, rank: int | None, lr: float, episodes: int,
                batch: int = 16, group: int = 4, seed: int = 0, eval_every: int = 10) -> FinetuneRun:
    """REINFORCE on the sparse reward ``G = 1[a = y_p]``, fully (``rank=None``) or through LoRA.

    Each update draws ``batch`` prompts uniformly, samples ``group`` tokens for each, and uses the
    mean reward of the *other* episodes of the same prompt as the baseline (leave-one-out), so
    the update is unbiased. The loss is ``-(1/n) Σ (G - b) log π(a | p)``.

    Parameters
    ----------
    net : PolicyNet
        The pretrained network (not modified).
    targets : array of int, shape (P,)
        The hidden correct token ``y_p`` of each prompt.
    rank : int or None
        LoRA rank, or ``None`` for full fine-tuning.
    lr : float
        Adam step size α.
    episodes : int
        Budget; the run does ``episodes // (batch·group)`` updates.
    seed : int
        Sampling and adapter initialisation.

    Returns
    -------
    FinetuneRun
        ``score`` is the exact ``J = mean_p π(y_p | p)`` after every ``eval_every`` updates; the
        episodes (``prompts``, ``tokens``, ``rewards``) are kept for :func:`observer_bits`.

    Examples
    --------
    >>> base = softmax(np.random.default_rng(0).normal(size=(6, 4)))
    >>> net = pretrain(base, 8, steps=200)
    >>> run = rl_finetune(net, [0, 1, 2, 3, 0, 1], rank=1, lr=0.05, episodes=960, seed=0)
    >>> bool(run.score[-1] > run.score[0]), run.rewards.size
    (True, 960)
    """
    y = _check_targets(targets, net)
    group = check_int(group, "group", 2, "the leave-one-out baseline needs at least 2 episodes per prompt")

    def sampler(probs, prompts, rng):
        tokens = _sample(probs, rng)
        g = (tokens == y[prompts]).astype(float)
        G = g.reshape(-1, group)
        base = (G.sum(axis=1, keepdims=True) - G) / (group - 1)
        return tokens, (G - base).reshape(-1), g

    return _finetune("rl", net, y, rank, lr, episodes, batch, group, seed, eval_every, sampler,
                     lambda probs: success_rate(probs, y))


def sft_finetune(net: PolicyNet, target: Any, *, rank: int | None, lr: float, episodes: int,
                 batch: int = 64, seed: int = 0, eval_every: int = 10) -> FinetuneRun:
    """Supervised fine-tuning on tokens sampled from ``target[p, ·]``, fully or through LoRA.

    Each update draws ``batch`` prompts, one target token ``a ~ target[p]`` for each, and
    minimises the cross-entropy ``-(1/n) Σ log π(a | p)``. ``score`` is the exact share of the
    starting KL(target ‖ π) removed (1 at a perfect fit).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> base, tgt = softmax(rng.normal(size=(6, 4))), softmax(rng.normal(size=(6, 4)))
    >>> net = pretrain(base, 8, steps=200)
    >>> run = sft_finetune(net, tgt, rank=2, lr=0.05, episodes=1280, batch=16)
    >>> bool(run.score[-1] > 0.3), float(run.score[0])
    (True, 0.0)
    """
    q = _check_table(target, net, "target")
    start = float(_kl_rows(q, policy_table(net)).mean())
    if start <= 0:
        raise ValueError("the target equals the pretrained policy; there is nothing to fine-tune")

    def sampler(probs, prompts, rng):
        return _sample(q[prompts], rng), np.ones(len(prompts)), None

    return _finetune("sft", net, q, rank, lr, episodes, batch, 1, seed, eval_every, sampler,
                     lambda probs: kl_removed(probs, q, start))


def _sample(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    c = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * c[:, -1]
    return np.minimum((c < u[:, None]).sum(axis=1), probs.shape[1] - 1)


def _check_targets(targets: Any, net: PolicyNet) -> np.ndarray:
    y = np.asarray(targets)
    if y.shape != (net.n_prompts,) or y.dtype.kind not in "iu":
        raise ValueError(f"targets must be {net.n_prompts} integer token ids, one per prompt; "
                         f"got shape {y.shape}, dtype {y.dtype}")
    if y.min() < 0 or y.max() >= net.vocab:
        raise ValueError(f"targets must be token ids in 0..{net.vocab - 1}")
    return y


# ------------------------------------------------------------------------------------------------
# information: what the RL episodes told an ideal observer
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObserverBits:
    """The ideal observer's bits along a run: ``realised[i]`` is H(y) − H(y | first i+1 episodes),
    ``expected[i]`` the sum of each episode's expected information ``H_b`` under the belief."""

    realised: np.ndarray
    expected: np.ndarray
    prior_bits: float


def observer_bits(candidates: Any, prompts: Any, tokens: Any, rewards: Any) -> ObserverBits:
    """What a Bayesian who knows the prior learns from the RL episodes, exactly.

    The prior: ``y_p`` uniform over the candidate set ``C_p`` (row ``p`` of the boolean
    ``candidates``), independently across prompts. An episode ``(p, a, G)`` with ``a ∈ C_p``
    succeeds with probability ``1/|C_p|`` under the belief, so it is expected to carry
    ``H_b(1/|C_p|)`` bits; a success leaves ``{a}``, a failure removes ``a``. An episode with
    ``a ∉ C_p`` carries nothing.

    Examples
    --------
    >>> cand = np.array([[True, True, True, True, False]])
    >>> ob = observer_bits(cand, [0, 0, 0], [4, 1, 2], [0, 0, 1])
    >>> [round(x, 12) for x in ob.realised.tolist()], ob.prior_bits
    ([0.0, 0.415037499279, 2.0], 2.0)
    """
    C = np.array(as_array(candidates, name="candidates", ndim=2) > 0)
    if (C.sum(axis=1) == 0).any():
        raise ValueError("every prompt needs at least one candidate token in its prior")
    p = np.asarray(prompts)
    a = np.asarray(tokens)
    g = np.asarray(rewards)
    if not (p.shape == a.shape == g.shape) or p.ndim != 1:
        raise ValueError("prompts, tokens and rewards must be 1-D arrays of the same length")
    size = C.sum(axis=1).astype(float)
    prior = float(np.log2(size).sum())
    real = np.empty(len(p))
    expd = np.empty(len(p))
    got = 0.0
    exp_sum = 0.0
    for i in range(len(p)):
        pi, ai = int(p[i]), int(a[i])
        n = size[pi]
        if C[pi, ai] and n > 1:
            q = 1.0 / n
            exp_sum += -(q * math.log2(q) + (1 - q) * math.log2(1 - q))
            if g[i] > 0:
                got += math.log2(n)
                C[pi] = False
                C[pi, ai] = True
                size[pi] = 1
            else:
                got += math.log2(n) - math.log2(n - 1)
                C[pi, ai] = False
                size[pi] = n - 1
        real[i] = got
        expd[i] = exp_sum
    return ObserverBits(real, expd, prior)


# ------------------------------------------------------------------------------------------------
# description length of a learned update
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DescriptionLength:
    """The cheapest truncated, quantised form of an update that keeps ``keep`` of its gain."""

    bits: float
    rank: int
    bits_per_entry: int
    score: float
    target_score: float
    table: list = field(default_factory=list)


def _quantised(M: np.ndarray, bits: int) -> np.ndarray:
    m = float(np.abs(M).max())
    if m == 0:
        return M.copy()
    levels = 2 ** bits
    return bin_centers(levels, -m, m)[quantise(M, levels, -m, m, clip=True)]


@one_blas_thread()
def description_length(net: PolicyNet, delta: dict, score, *, keep: float = 0.9,
                       ranks=(1, 2, 4, 8, 16, 32), bits=(1, 2, 3, 4, 6, 8)) -> DescriptionLength:
    """Fewest bits that describe an update ``{"W1": ΔW1, "W2": ΔW2}`` well enough.

    Each ``ΔW`` is truncated to rank ``r'`` by its SVD, ``ΔW ≈ (U √S)(√S Vᵀ)``, and both factors are
    quantised to ``b`` bits per entry (uniform levels over ``[-max|·|, max|·|]``, one 32-bit scale
    per factor). The cost is ``Σ r'(d_out + d_in) b + 64`` bits per matrix. The answer is the
    cheapest ``(r', b)`` whose network keeps at least ``keep`` of the score gained,
    ``score(ΔW') ≥ score(0) + keep·(score(ΔW) − score(0))``.

    Parameters
    ----------
    score : callable
        ``score(probs) -> float`` on a ``(P, V)`` policy table (e.g. the success rate).
    """
    keep = check_rate(keep, "keep", at_most_one=True, hint="the share of the gain to keep, e.g. 0.9")
    s0 = score(policy_table(net))
    s1 = score(policy_table(merged(net, delta=delta)))
    target = s0 + keep * (s1 - s0)
    svd = {k: np.linalg.svd(v, full_matrices=False) for k, v in delta.items()}
    best, table = None, []
    for r in ranks:
        for b in bits:
            approx, cost = {}, 0.0
            for k, (U, S, Vt) in svd.items():
                rr = min(r, len(S))
                L = U[:, :rr] * np.sqrt(S[:rr])
                R = np.sqrt(S[:rr])[:, None] * Vt[:rr]
                approx[k] = _quantised(L, b) @ _quantised(R, b)
                cost += rr * (L.shape[0] + R.shape[1]) * b + 2 * FLOAT_BITS
            s = score(policy_table(merged(net, delta=approx)))
            table.append((r, b, cost, s))
            if s >= target and (best is None or cost < best[2]):
                best = (r, b, cost, s)
    if best is None:
        r, b = max(ranks), max(bits)
        best = (r, b, math.inf, table[-1][3])
    return DescriptionLength(bits=best[2], rank=best[0], bits_per_entry=best[1], score=best[3],
                             target_score=target, table=table)


def sweep(kind: str, net: PolicyNet, target: Any, arms: dict, seeds, *, episodes: int,
          desc: str = "", **kw) -> dict:
    """Run every arm at every learning rate of its grid and every seed, with one progress bar.

    Parameters
    ----------
    kind : {"rl", "sft"}
        :func:`rl_finetune` (``target`` = the correct tokens) or :func:`sft_finetune` (``target`` =
        the target table).
    arms : dict
        ``{rank or None: (lr, lr, ...)}``; ``None`` is full fine-tuning.
    seeds : iterable of int

    Returns
    -------
    dict
        ``{(rank, lr): [FinetuneRun per seed]}``.
    """
    if kind not in ("rl", "sft"):
        raise ValueError(f"kind must be 'rl' or 'sft', got {kind!r}")
    if not arms:
        raise ValueError("arms is empty; give {rank or None: (learning rates...)}")
    seeds = [s for s in seeds if rng_from_seed(s) is not None]
    if not seeds:
        raise ValueError("give at least one seed")
    fn = rl_finetune if kind == "rl" else sft_finetune
    jobs = [(rank, lr, s) for rank, lrs in arms.items() for lr in lrs for s in seeds]
    out: dict = {}
    with one_blas_thread():
        for rank, lr, s in progress(jobs, total=len(jobs), desc=desc or f"{kind} arms"):
            out.setdefault((rank, lr), []).append(
                fn(net, target, rank=rank, lr=lr, episodes=episodes, seed=s, **kw))
    return out
