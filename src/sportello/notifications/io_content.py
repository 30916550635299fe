"""Pure: the content of an App IO message within IO's limits and its allowed Markdown. No ORM, no Django.

IO accepts a subject of 10-120 characters and a Markdown body of 80-10000 characters, formatted only with
headings, bold/italic and bullet or numbered lists. ``io_content_render`` turns any text into that:
links become "text (address)", images their alt text, HTML tags, code, quotes, tables and rules plain text;
a short subject gets the service name, a body always ends with the ``footer`` (which the caller writes to say
who sends it and why), a long one is cut at a word boundary with an ellipsis.
"""

import re

SUBJECT_MIN, SUBJECT_MAX = 10, 120
MARKDOWN_MIN, MARKDOWN_MAX = 80, 10000
ELLIPSIS = "…"

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_FENCE = re.compile(r"^\s*(```|~~~)")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MARKDOWN_CHARS = re.compile(r"[*_#`>\[\]]")


class ContentError(ValueError):
    """The content cannot be brought within IO's limits (a caller's bug: the footer is too short)."""


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def subject_render(subject: str, *, fallback: str) -> str:
    """One line of plain text, 10-120 characters; ``fallback`` (the service name) completes a short one."""
    text = " ".join(_MARKDOWN_CHARS.sub("", _TAG.sub("", subject)).split())
    if len(text) < SUBJECT_MIN:
        extra = " ".join(_MARKDOWN_CHARS.sub("", fallback).split())
        text = f"{extra}: {text}" if text else extra
    if len(text) < SUBJECT_MIN:
        text = text.ljust(SUBJECT_MIN, ".")  # a fallback under 10 characters: pad rather than be refused
    return _cut(text, SUBJECT_MAX)


def markdown_sanitize(markdown: str) -> str:
    """Keep headings, emphasis and lists; everything else IO does not allow becomes plain text."""
    lines = []
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line) or _RULE.match(line) or _TABLE_SEPARATOR.match(line):
            continue
        if _SETEXT.match(line) and lines and lines[-1].strip():
            lines[-1] = "## " + lines[-1].strip()  # "Title\n=====" is a heading: keep it as one
            continue
        line = _QUOTE.sub("", line)
        line = _IMAGE.sub(lambda m: m.group(1), line)
        line = _LINK.sub(
            lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", line
        )
        line = _AUTOLINK.sub(lambda m: m.group(1), line)
        line = _TAG.sub("", line).replace("`", "")
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = " - ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(line.rstrip())
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def markdown_render(markdown: str, *, footer: str) -> str:
    """The sanitized body followed by the footer, 80-10000 characters."""
    footer = markdown_sanitize(footer)
    body = markdown_sanitize(markdown)
    room = MARKDOWN_MAX - len(footer) - 2
    if room < 0:
        raise ContentError("footer longer than IO allows")
    text = f"{_cut(body, room)}\n\n{footer}" if body else footer
    if len(text) < MARKDOWN_MIN:
        raise ContentError(f"message of {len(text)} characters: IO wants at least {MARKDOWN_MIN}")
    return text


def io_content_render(*, subject: str, markdown: str, footer: str, fallback_subject: str) -> dict:
    """``{"subject", "markdown"}`` ready for ``NewMessage.content``."""
    return {
        "subject": subject_render(subject, fallback=fallback_subject),
        "markdown": markdown_render(markdown, footer=footer),
    }
