"""`python -m reelkit`: the same command line as the `reelkit` console script."""

import sys

from reelkit._cli import main

sys.exit(main())
