"""``python -m ictappraise`` does what the ``ictappraise`` command does."""

import sys

from ictappraise.cli import main

sys.exit(main())
