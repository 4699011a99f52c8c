"""infobandwidth.book.glue emits exactly what myst_nb.glue emits (the build reads it back)."""
from unittest import mock

import pytest
from infobandwidth.book.glue import GLUE_PREFIX, glue


def _captured(fn, *args, **kw):
    calls = []
    with mock.patch("IPython.display.display", side_effect=lambda *a, **k: calls.append((a, k))):
        fn(*args, **kw)
    return calls


@pytest.mark.parametrize("value", [3.14159, 42, "text", [1, 2]])
@pytest.mark.parametrize("display", [True, False])
def test_same_output_as_myst_nb(value, display):
    import myst_nb.ext.glue as mg

    ours = _captured(glue, "k", value, display=display)
    with mock.patch.object(mg, "ipy_display", side_effect=lambda *a, **k: theirs.append((a, k))):
        theirs = []
        mg.glue("k", value, display=display)
    assert ours == theirs and len(ours) == 1


def test_prefix_matches_myst_nb():
    import myst_nb.ext.glue as mg

    assert mg.GLUE_PREFIX == GLUE_PREFIX


def test_bad_name():
    with pytest.raises(ValueError, match="nonempty string"):
        glue("", 1)


def test_numpy_scalars_are_glued_as_plain_numbers():
    """numpy >= 2 reprs a float64 as 'np.float64(x)', which a '.3f' role cannot format."""
    from unittest import mock

    import numpy as np
    from infobandwidth.book.glue import glue, glued

    with mock.patch("IPython.display.display"):
        glue("np_scalar_test", np.float64(0.04226915103597517), display=False)
        glue("np_int_test", np.int64(7), display=False)
    assert glued("np_scalar_test", ".3f") == "0.042"
    assert glued("np_int_test", "d") == "7"
