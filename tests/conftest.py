"""Shared test set-up.

Snapshot tests compare rendered SVGs, which differ when NO_COLOR is set in the environment (some CI
machines and terminals set it), so it is cleared before any app is created.
"""

from __future__ import annotations

import os

os.environ.pop("NO_COLOR", None)
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
