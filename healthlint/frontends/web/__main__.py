"""``python -m healthlint.frontends.web``: the same as ``healthlint serve``."""

import sys

from healthlint.frontends.web import main

if __name__ == "__main__":
    sys.exit(main())
