"""`python -m backprop_tui.tui.cli`: the same as the `backprop-tui` command."""

import sys

from .main import main

sys.exit(main())
