"""Publishing a release folder to the Hugging Face Hub, with a version tag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model.problems import fail, usage
from .manifest import read_manifest
from .versions import MANIFEST, release_folder


@dataclass(frozen=True)
class PushPlan:
    """What a push uploads and tags; the dry run prints it and stops there."""

    repo_id: str
    folder: Path
    files: tuple[str, ...]
    tag: str
    commit_message: str

    def render(self) -> str:
        lines = [f"would upload {len(self.files)} files from {self.folder} to dataset repo {self.repo_id}:"]
        lines += [f"  {name}" for name in self.files]
        lines.append(f"would tag the upload commit as {self.tag} "
                     f'(load it with load_dataset("{self.repo_id}", revision="{self.tag}"))')
        return "\n".join(lines)


def plan_push(root: Path, version: str, repo_id: str) -> PushPlan:
    """The upload of ``releases/VERSION`` to ``repo_id`` (which must be OWNER/NAME)."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}", repo_id):
        raise fail("(command line)", "--repo-id", "bad-repo-id",
                                   f"repo id {repo_id[:60]!r} is not OWNER/NAME")
    folder = release_folder(root, version)
    if not (folder / MANIFEST).is_file():
        raise usage("VERSION", "unknown-release",
                                   f"no release {version} under {root / 'releases'}")
    manifest = read_manifest(folder)
    files = tuple(sorted([*manifest["files"], MANIFEST]))
    return PushPlan(repo_id, folder, files, f"v{version}", f"corpus_ds release {version}")


def execute_push(plan: PushPlan) -> str:
    """Upload and tag for real (network); returns the Hub commit id."""
    from huggingface_hub import HfApi

    api = HfApi()
    api.create_repo(plan.repo_id, repo_type="dataset", exist_ok=True)
    commit = api.upload_folder(folder_path=str(plan.folder), repo_id=plan.repo_id, repo_type="dataset",
                               allow_patterns=list(plan.files), commit_message=plan.commit_message)
    api.create_tag(plan.repo_id, tag=plan.tag, revision=commit.oid, repo_type="dataset")
    return commit.oid
