"""The settings and runs of §4.2.2, *LoRA without regret, in miniature* (``book/part4/lora-miniature.md``).

One pretrained network, three fine-tuning tasks, six arms (full fine-tuning and LoRA of rank 1, 2,
4, 8, 16), a learning-rate grid per arm and three seeds. Every run is computed once per process
(:func:`results` is cached), so the chapter's cells, the figures and the claim checks share them.

Tasks
-----
``"rl"``
    REINFORCE on a sparse 0/1 reward. The correct token of prompt ``p`` is the one, among the base
    policy's top ``K_CANDIDATES`` tokens, with the highest value of one hidden utility over tokens
    shared by all prompts: a single preference the base model must learn (the analogue of the
    post's RL, which sharpens a skill the base model nearly has).
``"rl-indep"``
    The same reward, but the correct token of each prompt is drawn independently among its
    candidates: nothing is shared, so every prompt needs its own bits. Run at the learning rates
    the ``"rl"`` sweep chose.
``"sft"``
    Supervised fine-tuning on tokens sampled from a per-prompt target distribution unrelated to the
    base: information-rich targets.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from infobandwidth.learning.lora import (
    PolicyNet,
    description_length,
    kl_removed,
    observer_bits,
    policy_table,
    pretrain,
    softmax,
    success_rate,
    sweep,
)

__all__ = [
    "SETTINGS",
    "RANKS",
    "ARMS",
    "SEEDS",
    "K_CANDIDATES",
    "World",
    "world",
    "ArmSummary",
    "results",
    "summaries",
    "capacity_rows",
    "arm_label",
]

#: Sizes: prompts P, hidden width d, vocabulary |V|, base logits' rank and scale, SFT target scale.
SETTINGS = dict(P=64, d=128, V=32, base_rank=4, base_scale=1.2, target_scale=2.0,
                pretrain_steps=400, pretrain_lr=0.02, world_seed=0,
                episodes=6_400, rl_batch=16, group=4, sft_batch=64, eval_every=10)
#: LoRA ranks compared with full fine-tuning (``None``).
RANKS = (1, 2, 4, 8, 16)
#: The learning-rate grid of each arm (Adam step sizes α): LoRA's best rate is higher.
ARMS = {None: (0.003, 0.01, 0.03), **{r: (0.01, 0.03, 0.1) for r in RANKS}}
#: Seeds of every (arm, learning rate).
SEEDS = (0, 1, 2)
#: Size of each prompt's candidate set: the base policy's top tokens.
K_CANDIDATES = 8


@dataclass(frozen=True)
class World:
    """The pretrained network and the three tasks."""

    net: PolicyNet
    base: np.ndarray          # the pretraining distribution, (P, V)
    candidates: np.ndarray    # (P, V) bool: the base policy's top K tokens of each prompt
    targets: np.ndarray       # "rl": the correct token of each prompt (shared utility)
    targets_indep: np.ndarray  # "rl-indep": drawn independently among the candidates
    sft_target: np.ndarray    # "sft": the target distribution of each prompt, (P, V)


@functools.lru_cache(maxsize=1)
def world() -> World:
    """The pretrained network and the tasks (deterministic: ``SETTINGS["world_seed"]``)."""
    s = SETTINGS
    rng = np.random.default_rng(s["world_seed"])
    P, V = s["P"], s["V"]
    base = softmax(s["base_scale"] * rng.normal(size=(P, s["base_rank"]))
                   @ rng.normal(size=(V, s["base_rank"])).T)
    net = pretrain(base, s["d"], steps=s["pretrain_steps"], lr=s["pretrain_lr"], seed=s["world_seed"])
    pt = policy_table(net)
    top = np.argsort(-pt, axis=1)[:, :K_CANDIDATES]
    cand = np.zeros((P, V), dtype=bool)
    cand[np.arange(P)[:, None], top] = True
    utility = rng.normal(size=V)
    targets = top[np.arange(P), np.argmax(utility[top], axis=1)]
    indep = top[np.arange(P), rng.integers(0, K_CANDIDATES, size=P)]
    sft_target = softmax(s["target_scale"] * rng.normal(size=(P, V)))
    return World(net, base, cand, targets, indep, sft_target)


def arm_label(rank) -> str:
    """``"full"`` or ``"rank r"``."""
    return "full" if rank is None else f"rank {rank}"


@dataclass(frozen=True)
class ArmSummary:
    """One arm of one task at its best learning rate: the curves of every seed and their summaries."""

    task: str
    rank: int | None
    lr: float
    episodes: np.ndarray
    scores: np.ndarray          # (seeds, points)
    aucs: np.ndarray            # (seeds,)
    finals: np.ndarray          # (seeds,)
    runs: tuple

    @property
    def label(self) -> str:
        return arm_label(self.rank)


def _kw(kind):
    s = SETTINGS
    if kind == "rl":
        return dict(batch=s["rl_batch"], group=s["group"], eval_every=s["eval_every"])
    return dict(batch=s["sft_batch"], eval_every=s["eval_every"])


@functools.lru_cache(maxsize=None)
def results(task: str) -> dict:
    """Every run of ``task``: ``{(rank, lr): [run per seed]}`` (cached for the process)."""
    w = world()
    s = SETTINGS
    if task == "rl":
        return sweep("rl", w.net, w.targets, ARMS, SEEDS, episodes=s["episodes"], desc="RL arms",
                     **_kw("rl"))
    if task == "sft":
        return sweep("sft", w.net, w.sft_target, ARMS, SEEDS, episodes=s["episodes"], desc="SFT arms",
                     **_kw("sft"))
    if task == "rl-indep":
        chosen = {a.rank: (a.lr,) for a in summaries("rl")}
        return sweep("rl", w.net, w.targets_indep, chosen, SEEDS, episodes=s["episodes"],
                     desc="RL arms, independent targets", **_kw("rl"))
    raise ValueError(f"task must be 'rl', 'rl-indep' or 'sft', got {task!r}")


@functools.lru_cache(maxsize=None)
def summaries(task: str) -> tuple[ArmSummary, ...]:
    """One :class:`ArmSummary` per arm (full first, then by rank), at the learning rate whose mean
    area under the curve over the seeds is largest."""
    res = results(task)
    out = []
    for rank in (None, *RANKS):
        best = max((lr for (r, lr) in res if r == rank),
                   key=lambda lr: np.mean([run.auc for run in res[(rank, lr)]]))
        runs = tuple(res[(rank, best)])
        out.append(ArmSummary(task, rank, best, runs[0].episodes,
                              np.array([r.score for r in runs]), np.array([r.auc for r in runs]),
                              np.array([r.score[-1] for r in runs]), runs))
    return tuple(out)


def _score(task):
    w = world()
    if task == "sft":
        start = float(kl_start())
        return lambda probs: kl_removed(probs, w.sft_target, start)
    y = w.targets if task == "rl" else w.targets_indep
    return lambda probs: success_rate(probs, y)


@functools.lru_cache(maxsize=1)
def kl_start() -> float:
    """Mean KL(target ‖ π₀) in bits at the start of SFT."""
    w = world()
    pt = policy_table(w.net)
    return float(np.mean(np.sum(w.sft_target * np.log2(w.sft_target / pt), axis=1)))


@functools.lru_cache(maxsize=None)
def capacity_rows(task: str) -> tuple[dict, ...]:
    """Per arm (seed 0 at the chosen rate): parameters, fp32 storage bits, the update's description
    length, and for RL tasks the ideal observer's bits over the same episodes."""
    from infobandwidth.learning.lora import FLOAT_BITS, full_parameter_count, lora_parameter_count

    w = world()
    s = SETTINGS
    rows = []
    for arm in summaries(task):
        run = arm.runs[0]
        n_par = (full_parameter_count(s["d"], s["V"]) if arm.rank is None
                 else lora_parameter_count(s["d"], s["V"], arm.rank))
        dl = description_length(w.net, run.delta, _score(task))
        row = dict(arm=arm.label, rank=arm.rank, params=n_par, storage_bits=n_par * FLOAT_BITS,
                   update_bits=dl.bits, update_rank=dl.rank, update_b=dl.bits_per_entry,
                   final=float(run.score[-1]))
        if task != "sft":
            ob = observer_bits(w.candidates, run.prompts, run.tokens, run.rewards)
            row.update(observer_bits=float(ob.realised[-1]), expected_bits=float(ob.expected[-1]),
                       prior_bits=ob.prior_bits, episodes=int(run.rewards.size))
        rows.append(row)
    return tuple(rows)
