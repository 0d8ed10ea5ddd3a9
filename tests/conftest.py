"""Hypothesis profiles for tests/reliability.

HYPOTHESIS_PROFILE=ci runs many more examples per property; "default" keeps the whole
tests/reliability run well under two minutes on two cores. deadline=None: example run
times vary with the machine's load, which says nothing about correctness. (The project
root is on sys.path because tests/ is a package: pytest puts the directory above it
there, so `from tests.helpers import ...` works.)
"""

import os
import warnings

from hypothesis import HealthCheck, settings

# When a property fails, hypothesis's pytest plugin imports its patch writer, which needs
# libcst; where libcst is installed, its import raises a DeprecationWarning that the
# suite's warnings-as-errors would turn into an INTERNALERROR hiding the failure report.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:  # no libcst: the plugin skips patches by itself
        pass

settings.register_profile(
    "default",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
