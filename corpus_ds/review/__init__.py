"""Review: the HTML review site, the inline text rendering (show) and inter-annotator agreement."""
