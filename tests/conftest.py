"""Shared hypothesis strategies for the tests of the information measures.

Imported by the test modules as ``from conftest import ...`` (pytest puts ``tests/`` on the
path). The strategies produce random *normalised* tables of random shapes that include exact
zeros and tiny masses (1e-300), the cases where ``0 · log 0`` handling matters.
"""
from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

#: Settings for every property test, numeric or symbolic (sympy): enough examples to find edge
#: cases, fast enough for a < 60 s suite on two shared cores.
PROPERTY = settings(max_examples=100, deadline=None)

# Weights before normalisation: mostly ordinary numbers, often exact zeros, sometimes tiny.
_weight = st.one_of(
    st.floats(min_value=1e-3, max_value=1.0),
    st.just(0.0),
    st.sampled_from([1e-300, 1e-12, 1.0]),
)
_weight_no_tiny = st.one_of(
    st.floats(min_value=1e-3, max_value=1.0),
    st.just(0.0),
    st.sampled_from([1e-12, 1.0]),
)


@st.composite
def distributions(draw, shape=None, min_dims=1, max_dims=3, max_side=5, zeros=True, tiny=True):
    """A random normalised array; random shape unless ``shape`` is given.

    ``zeros=False``: all entries >= 1e-3 before normalising. ``tiny=False``: no 1e-300 masses
    (for oracles that multiply probabilities, whose products would underflow to 0).
    """
    if shape is None:
        shape = draw(array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1,
                                  max_side=max_side))
    if not zeros:
        elements = st.floats(min_value=1e-3, max_value=1.0)
    else:
        elements = _weight if tiny else _weight_no_tiny
    w = draw(arrays(np.float64, shape, elements=elements))
    if not w.sum() > 0:
        w.flat[draw(st.integers(0, w.size - 1))] = 1.0
    return w / w.sum()


@st.composite
def stochastic_matrices(draw, n_in=None, n_out=None, max_side=5):
    """A random row-stochastic matrix (rows are distributions, zeros allowed)."""
    if n_in is None:
        n_in = draw(st.integers(1, max_side))
    if n_out is None:
        n_out = draw(st.integers(1, max_side))
    rows = [draw(distributions(shape=(n_out,))) for _ in range(n_in)]
    return np.array(rows)
