"""Authoring: adding a raw text, and compiling drafts (phrases and anchors) into annotation files."""
