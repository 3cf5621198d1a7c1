"""Optional libraries of the exchange formats, imported only when a format needs them.

``pip install corpus_ds`` stays light: spaCy and dkpro-cassis come with the extras
``corpus_ds[spacy]`` and ``corpus_ds[xmi]`` (the ``test`` extra installs both).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..model.problems import fail


def require(module: str, distribution: str, extra: str, what: str) -> ModuleType:
    """Import ``module``, or a CorpusError naming the extra of corpus_ds that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise fail("(command line)", "FORMAT", "missing-extra",
                   f"{what} needs {distribution}, which is not installed; install it with: "
                   f"pip install 'corpus_ds[{extra}]'") from None
