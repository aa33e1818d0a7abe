"""`python -m healthlint`: the command line, for environments without the console script."""

import sys

from healthlint.frontends.cli import main

sys.exit(main())
