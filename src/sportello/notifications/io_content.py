"""Pure: the content of an App IO message within IO's limits and its allowed Markdown. No ORM, no Django.

IO accepts a subject of 10-120 characters and a Markdown body of 80-10000 characters, formatted only with
headings, bold/italic and bullet or numbered lists. ``io_content_render`` turns any text into that:
links become "text (address)", images their alt text, HTML tags, code, quotes, tables and rules plain text;
a short subject gets the service name, a body always ends with the ``footer`` (which the caller writes to say
who sends it and why), a long one is cut at a word boundary with an ellipsis.

Calls to action: IO reads up to two buttons from a YAML front matter at the start of the Markdown, one block per
locale (``it:``/``en:``/``de:``, each with ``cta_1: {text, action}``); ``action`` is ``iohandledlink://`` followed
by the https address the app opens. ``cta_front_matter`` writes it (it counts within the 10000 characters),
``cta_parse`` reads it back (the demo inbox draws the buttons from it, as the app does).
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
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_FM_LOCALE = re.compile(r"^([a-z]{2}):\s*$")
_FM_CTA = re.compile(r"^\s+(cta_[12]):\s*$")
_FM_VALUE = re.compile(r'^\s+(text|action):\s*"((?:[^"\\]|\\.)*)"\s*$')
CTA_PREFIX = "iohandledlink://"
CTA_TEXT_MAX = 40


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


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cta_front_matter(ctas: dict) -> str:
    """The front matter of ``{locale: [(text, https address), ...]}`` (at most two buttons per locale).

    Texts become one line of at most 40 characters; an address must be http(s) without spaces or quotes,
    anything else is a caller's bug (``ContentError``). An empty mapping gives an empty string.
    """
    blocks = []
    for locale, buttons in ctas.items():
        if not re.fullmatch(r"[a-z]{2}", locale):
            raise ContentError(f"CTA locale {locale!r}")
        if not buttons:
            continue
        if len(buttons) > 2:
            raise ContentError("IO shows at most two calls to action")
        lines = [f"{locale}:"]
        for index, (text, url) in enumerate(buttons, start=1):
            text = _cut(" ".join(_MARKDOWN_CHARS.sub("", text).split()), CTA_TEXT_MAX)
            if not text:
                raise ContentError("a call to action needs a text")
            if not re.fullmatch(r"https?://[^\s\"'\\<>]+", url or ""):
                raise ContentError(f"CTA address {url!r}")
            lines += [
                f"    cta_{index}:",
                f"        text: {_quoted(text)}",
                f'        action: "{CTA_PREFIX}{url}"',
            ]
        blocks.append("\n".join(lines))
    return f"---\n{chr(10).join(blocks)}\n---\n" if blocks else ""


def cta_parse(markdown: str) -> tuple[dict, str]:
    """``({locale: [(text, address)]}, body)``: the calls to action a message's front matter declares.

    Only the shape ``cta_front_matter`` writes (and IO documents) is understood; actions that are not
    ``iohandledlink://`` to an http(s) address are dropped. Without front matter: ``({}, markdown)``.
    """
    match = _FRONT_MATTER.match(markdown.replace("\r\n", "\n"))
    if match is None:
        return {}, markdown
    ctas, locale, current = {}, None, None
    for line in match.group(1).split("\n"):
        if found := _FM_LOCALE.match(line):
            locale, current = found.group(1), None
            ctas.setdefault(locale, {})
        elif (found := _FM_CTA.match(line)) and locale:
            current = ctas[locale].setdefault(found.group(1), {})
        elif (found := _FM_VALUE.match(line)) and current is not None:
            current[found.group(1)] = re.sub(r"\\(.)", r"\1", found.group(2))
    result = {}
    for locale, buttons in ctas.items():
        parsed = []
        for _name, cta in sorted(buttons.items()):
            action = cta.get("action", "")
            url = action[len(CTA_PREFIX) :] if action.startswith(CTA_PREFIX) else ""
            if cta.get("text") and re.fullmatch(r"https?://\S+", url):
                parsed.append((cta["text"], url))
        if parsed:
            result[locale] = parsed
    return result, markdown[match.end() :]


def markdown_render(markdown: str, *, footer: str, front_matter: str = "") -> str:
    """The front matter, then the sanitized body followed by the footer: 80-10000 characters in all."""
    footer = markdown_sanitize(footer)
    body = markdown_sanitize(markdown)
    room = MARKDOWN_MAX - len(front_matter) - len(footer) - 2
    if room < 0:
        raise ContentError("footer and calls to action longer than IO allows")
    text = f"{_cut(body, room)}\n\n{footer}" if body else footer
    if len(text) < MARKDOWN_MIN:
        raise ContentError(f"message of {len(text)} characters: IO wants at least {MARKDOWN_MIN}")
    return front_matter + text


def io_content_render(
    *, subject: str, markdown: str, footer: str, fallback_subject: str, ctas: dict | None = None
) -> dict:
    """``{"subject", "markdown"}`` ready for ``NewMessage.content``; ``ctas`` as for ``cta_front_matter``."""
    return {
        "subject": subject_render(subject, fallback=fallback_subject),
        "markdown": markdown_render(markdown, footer=footer, front_matter=cta_front_matter(ctas or {})),
    }
