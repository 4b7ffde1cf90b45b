"""`legalbot console screenshots`: pictures of the console's main pages for the README, taken
from a running console in headless Debian chromium (docs/screenshots/*.png)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from config.settings import PROJECT_ROOT, Settings

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip
PAGES = {
    "entries": "/entries",
    "entry": "/entries/{slug}",
    "edit": "/entries/{slug}/edit",
    "revision": "/entries/{slug}/revisions/{revision}",
    "try": "/try",
    "asked": "/asked",
    "training": "/training",
}


def take(args: argparse.Namespace, settings: Settings) -> int:
    from playwright.sync_api import sync_playwright  # only where pictures are taken

    password = sys.stdin.readline().rstrip("\n")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 760})
        page.goto(f"{args.url}/login")
        page.fill("input[name=name]", args.user)
        page.fill("input[name=password]", password)
        page.click("#login button")
        page.wait_for_url(f"{args.url}/entries")
        for name, path in PAGES.items():
            page.goto(args.url + path.format(slug=args.slug, revision=args.revision))
            if name == "try" and args.question:
                page.fill("#ask input[name=message]", args.question)
                page.click("#ask button")
            page.screenshot(path=str(args.out / f"{name}.png"))
            print(args.out / f"{name}.png")
        browser.close()
    return 0


def add_commands(console: argparse.ArgumentParser, settings: Settings) -> None:
    sub = console.add_subparsers(dest="console_command")
    s = sub.add_parser("screenshots", help="pictures of the main pages of a running console (password on stdin)")
    s.add_argument("--url", default=settings.console.url)
    s.add_argument("--user", required=True)
    s.add_argument("--slug", default="inherit-conflicting-wills", help="the entry whose pages are shown")
    s.add_argument("--revision", type=int, default=2, help="the revision whose diff is shown")
    s.add_argument("--question", default="我阿爸立咗两份遗嘱，以边份为准？", help="asked in Try it")
    s.add_argument("--out", type=Path, default=PROJECT_ROOT / "docs" / "screenshots")
    s.set_defaults(func=take)
