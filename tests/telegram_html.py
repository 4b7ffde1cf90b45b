"""What Telegram accepts as an HTML message (https://core.telegram.org/bots/api#html-style), for
tests of the replies: known tags only, each closed in order, at most 4,096 characters."""

from __future__ import annotations

from html.parser import HTMLParser

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote"}
TELEGRAM_TAGS |= {"span", "tg-spoiler", "tg-emoji"}
LIMIT = 4096


class TelegramHTML(HTMLParser):
    """Raises ValueError where Telegram would refuse the message."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in TELEGRAM_TAGS:
            raise ValueError(f"<{tag}> is not Telegram HTML")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            raise ValueError(f"</{tag}> closes nothing open")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def visible_text(message: str) -> str:
    """The text a resident sees; ValueError if Telegram would refuse the message."""
    if not message.strip() or len(message) > LIMIT:
        raise ValueError(f"an empty message, or longer than {LIMIT} characters ({len(message)})")
    parser = TelegramHTML()
    parser.feed(message)
    parser.close()
    if parser.open:
        raise ValueError(f"not closed: {parser.open}")
    return "".join(parser.text)
