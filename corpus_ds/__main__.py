"""``python -m corpus_ds``: the command line, as ``corpus-ds``."""

import sys

from .cli import main

sys.exit(main())
