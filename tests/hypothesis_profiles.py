"""Hypothesis settings profiles, chosen with HYPOTHESIS_PROFILE (default "ci").

- ci: few examples per endpoint, no deadline (shared CI machines are slow), derandomized so
  every run tries the same inputs and a failure is reproducible.
- quick: five examples, for a first look while writing a test.
- thorough: many random examples, for a local hunt: `HYPOTHESIS_PROFILE=thorough
  .venv/bin/python -m pytest tests/site/test_fuzz.py tests/search/test_bad_input.py`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The test client's fixtures (a signed-in client, module data) live for the whole test, not
# per example: that is intended here.
_SHARED = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                                       HealthCheck.too_slow,
                                                       HealthCheck.data_too_large]}

settings.register_profile("ci", max_examples=25, derandomize=True, print_blob=True, **_SHARED)
settings.register_profile("thorough", max_examples=400, print_blob=True, **_SHARED)
settings.register_profile("quick", max_examples=5, derandomize=True, print_blob=True, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
