"""Plain helpers any test may import (fixtures live in the conftest.py files): the seed
folder, the files a test stored, and a client that reads the site in English."""

from pathlib import Path

from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent  # the project folder
SEEDS = ROOT / "seeds"


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def in_english(client: Client) -> Client:
    """Messages are asserted in the source language: the switch's cookie selects it."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
