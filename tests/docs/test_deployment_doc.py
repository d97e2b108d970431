"""docs/deployment.md: every setting in the environment reference, every deploy/ file it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from bot.secrets import SECRET_SETTINGS
from scripts.env_reference import settings_leaves

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs/deployment.md").read_text()


def test_every_setting_is_in_the_environment_reference() -> None:
    reference = DOC.split("## Environment reference", 1)[1]
    missing = [variable for variable, _, _ in settings_leaves() if f"`{variable}`" not in reference]
    assert not missing, f"add to docs/deployment.md (scripts/env_reference.py prints the table): {missing}"


def test_every_secret_and_its_credential_name_is_documented() -> None:
    for secret in SECRET_SETTINGS:
        assert f"`{secret.credential}`" in DOC and f"`{secret.variables[0]}`" in DOC, secret.dotted


def test_the_files_the_guide_names_exist() -> None:
    named = set(re.findall(r"`((?:deploy|tests|examples|scripts)/[\w./@-]+|Dockerfile|compose\.yaml)`", DOC))
    assert {
        "deploy/nginx/phigate.conf",
        "deploy/systemd/phigate@.service",
        "Dockerfile",
        "compose.yaml",
    } <= named
    for path in named:
        assert (ROOT / path).exists(), path
