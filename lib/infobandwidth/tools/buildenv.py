"""The build's context, as the notebook kernels it starts see it.

Every ``jupyter-book build`` loads the book's Sphinx extension (:mod:`infobandwidth.tools.sphinx_site`),
whose ``setup()`` calls :func:`enter_build_context`. Kernels inherit the environment of the process
that starts them, so whatever command started the build — ``python3 run.py build``, a plain
``jupyter-book build .``, a hosting service — the chapters run with:

``IB_BUILD=1``
    The library's "static-site build" switch (its ``in_build()``, in the progress module): demos
    precompute their frames into kernel-free widgets, progress bars stay silent. Without it the
    site would show live demos whose sliders do nothing without a kernel. An explicit
    ``IB_BUILD`` in the environment is respected (``IB_BUILD=0`` builds the live form).
``PYTHONHASHSEED=0``
    String hashing, hence the iteration order of sets of strings, is the same in every build.
    Measured 2026-12: every chapter's text and image outputs are identical under seeds 1 and 2,
    so today this only guards against a future set-order dependence. An explicit value is respected.
``OPENBLAS_NUM_THREADS=1``
    The book's matrices are small (at most a few hundred rows). On a shared two-core machine
    OpenBLAS's worker threads fight over the cores: measured 2026-12-03, one arm of §4.2.2's LoRA
    miniature took 53.8 s with the default threads and 2.2 s on one thread. Kernels run one after
    another, so one BLAS thread each loses nothing. An explicit value is respected.

:func:`encrypt_kernel_transport` makes the kernels started by this process use CurveZMQ
encryption on their sockets, which is also what keeps ipykernel (>= 7) from printing
"Kernel is running over TCP without encryption" once per executed notebook.
"""
from __future__ import annotations

import os

#: What the kernels of a book build see (applied with setdefault semantics).
BUILD_ENV = {"IB_BUILD": "1", "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}


def enter_build_context(environ=None) -> dict:
    """Set :data:`BUILD_ENV` in ``environ`` (default ``os.environ``) where not set; return what was set."""
    environ = os.environ if environ is None else environ
    added = {}
    for key, value in BUILD_ENV.items():
        if not environ.get(key):
            environ[key] = added[key] = value
    return added


def encrypt_kernel_transport() -> bool:
    """Kernels started from this process use kernel-manager-provisioned CurveZMQ keys.

    jupyter_client (>= 8.10) can give a kernel CurveZMQ keys in its connection file
    (``KernelManager.transport_encryption``, default ``"disabled"``); ipykernel (>= 7) warns
    "Kernel is running over TCP without encryption" on its stderr — the build's log — whenever it
    starts without them. myst-nb executes notebooks through jupyter-cache and nbclient, which
    create their ``KernelManager`` without any traitlets config we could pass, so the default of
    the trait itself is switched to ``"auto"``: encrypt when the kernelspec declares
    ``metadata.supported_encryption: ["curve"]`` (ipykernel's does) and pyzmq has CurveZMQ,
    plain TCP otherwise (and then the kernel's warning is still printed: it is true).

    Returns True when the setting is in effect. Nothing is hidden: no log filter is involved.
    """
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:
        return False
    trait = KernelManager.class_traits().get("transport_encryption")
    if trait is None or not zmq.has("curve"):
        return False
    if trait.default_value == "disabled":
        trait.default_value = "auto"
    return trait.default_value in ("auto", "required")
