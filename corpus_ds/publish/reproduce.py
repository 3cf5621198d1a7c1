"""Rebuild a release inside its own source tree: the entry point ``verify`` runs there.

``verify`` exports the whole tree of a release's commit (code and sources) and runs, in a
fresh interpreter inside it, ``python -m corpus_ds.publish.reproduce TREE OUT VERSION COMMIT
FORMAT [DATE]`` (DATE, the release date its card cites, was added with corpus 2.0.0; a
verify that passes it to an older tree is ignored there). That runs *this file as it was at
that commit*, so a release keeps verifying whatever later versions of the code publish. The
module path and its arguments are a protocol between versions: keep them (arguments may
only be appended). (Trees from before this module existed are driven
through their own ``build`` and ``release`` by :mod:`.verify`.)
"""

from __future__ import annotations

import sys
from pathlib import Path


def rebuild(tree: Path, out: Path, version: str, commit: str, build_format: int, date: str | None = None) -> int:
    """Build the release ``version`` of the corpus at ``tree`` into ``out``; 0 on success."""
    from ..load import CorpusPaths
    from ..model.problems import CorpusError
    from .build import build
    from .citation import Citation
    from .release import release_card

    try:
        build(CorpusPaths(tree), out, card_text=release_card(tree, version, commit),
              build_format=build_format, protect=out.parent, citation=Citation(version, date, commit))
    except CorpusError as error:
        for problem in error.problems:
            print(problem.render(), file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    tree_arg, out_arg, version_arg, commit_arg, format_arg = sys.argv[1:6]
    date_arg = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else None
    sys.exit(rebuild(Path(tree_arg), Path(out_arg), version_arg, commit_arg, int(format_arg), date_arg))
