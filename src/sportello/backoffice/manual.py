"""The staff manual ("Manuale operativo"): Italian chapters in ``manual/*.md`` shown as back-office pages and as
one PDF. The chapters are the repository's own text (trusted), in a small Markdown subset parsed here (pure):
``#``/``##`` headings, paragraphs, ``-`` and ``1.`` lists, ``**bold**`` and ``![alt](file.png)`` screenshots,
which the browser tests write into ``static/backoffice/manual/`` (``test_e2e_manual.py``)."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CHAPTERS_DIR = Path(__file__).resolve().parent / "manual"
SCREENSHOTS_DIR = Path(__file__).resolve().parent / "static" / "backoffice" / "manual"
SCREENSHOTS_STATIC = "backoffice/manual/"
_IMAGE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<file>[\w.-]+\.png)\)$")
_ORDERED = re.compile(r"^\d+\.\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, p, ul, ol, img
    text: str = ""
    items: tuple[str, ...] = ()
    file: str = ""


@dataclass(frozen=True)
class Chapter:
    slug: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def screenshots(self) -> list[str]:
        return [block.file for block in self.blocks if block.kind == "img"]


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_kind = ""

    def flush():
        nonlocal list_kind
        if paragraph:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(Block(list_kind, items=tuple(items)))
            items.clear()
            list_kind = ""

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## ") or line.startswith("# "):
            flush()
            level, _, title = line.partition(" ")
            blocks.append(Block("h1" if level == "#" else "h2", title.strip()))
        elif match := _IMAGE.match(line):
            flush()
            blocks.append(Block("img", match["alt"], file=match["file"]))
        elif line.startswith("- ") or _ORDERED.match(line):
            kind = "ul" if line.startswith("- ") else "ol"
            if paragraph or (items and kind != list_kind):
                flush()
            list_kind = kind
            items.append(line[2:].strip() if kind == "ul" else _ORDERED.sub("", line))
        elif items and raw.startswith("  "):
            items[-1] += " " + line  # continuation of a list item
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks


def chapters() -> list[Chapter]:
    result = []
    for path in sorted(CHAPTERS_DIR.glob("*.md")):
        blocks = parse(path.read_text(encoding="utf-8"))
        title = next((b.text for b in blocks if b.kind == "h1"), path.stem)
        result.append(Chapter(slug=path.stem.split("-", 1)[1], title=title, blocks=tuple(blocks)))
    return result


def chapter(slug: str) -> Chapter | None:
    return next((c for c in chapters() if c.slug == slug), None)


def inline_html(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", str(escape(text)))


def chapter_html(chapter: Chapter, image_url) -> SafeString:
    """The chapter's body (its title is the page's h1): ``image_url(file)`` gives a screenshot's address."""
    out = []
    for block in chapter.blocks:
        if block.kind == "h1":
            continue
        if block.kind == "h2":
            out.append(f'<h2 class="h4 mt-4">{inline_html(block.text)}</h2>')
        elif block.kind == "p":
            out.append(f"<p>{inline_html(block.text)}</p>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{inline_html(item)}</li>" for item in block.items)
            out.append(f"<{block.kind}>{items}</{block.kind}>")
        elif block.kind == "img":
            out.append(
                f'<figure class="sportello-manual-figure"><img '
                f'src="{escape(image_url(block.file))}" alt="{escape(block.text)}" loading="lazy">'
                f"<figcaption>{escape(block.text)}</figcaption></figure>"
            )
    return mark_safe("\n".join(out))  # noqa: S308 - every text escaped above


def manual_pdf(buffer, *, title: str, subtitle: str) -> None:
    """The whole manual as one PDF (reportlab), screenshots included when present."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, ListFlowable, ListItem, PageBreak, Paragraph, Spacer

    from sportello.core.pdf import pdf_document

    styles = getSampleStyleSheet()
    width = 170 * mm
    story = [Paragraph(escape(title), styles["Title"]), Paragraph(escape(subtitle), styles["Normal"])]
    story.append(Spacer(1, 8 * mm))
    contents = chapters()
    for number, item in enumerate(contents, start=1):
        story.append(Paragraph(f"{number}. {escape(item.title)}", styles["Normal"]))
    for number, item in enumerate(contents, start=1):
        story.append(PageBreak())
        for block in item.blocks:
            if block.kind == "h1":
                story.append(Paragraph(f"{number}. {escape(block.text)}", styles["Heading1"]))
            elif block.kind == "h2":
                story.append(Paragraph(inline_pdf(block.text), styles["Heading2"]))
            elif block.kind == "p":
                story.append(Paragraph(inline_pdf(block.text), styles["BodyText"]))
            elif block.kind in ("ul", "ol"):
                options = (
                    {"bulletType": "bullet", "start": "•"} if block.kind == "ul" else {"bulletType": "1"}
                )
                story.append(
                    ListFlowable(
                        [ListItem(Paragraph(inline_pdf(text), styles["BodyText"])) for text in block.items],
                        **options,
                    )
                )
            elif block.kind == "img":
                path = SCREENSHOTS_DIR / block.file
                if path.exists():
                    image = Image(str(path))
                    scale = min(1.0, width / image.imageWidth, 120 * mm / image.imageHeight)
                    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
                    story.append(Spacer(1, 2 * mm))
                    story.append(image)
                story.append(Paragraph(f"<i>{escape(block.text)}</i>", styles["BodyText"]))
    pdf_document(buffer, title=title, author=subtitle).build(story)


def inline_pdf(text: str) -> str:
    return _BOLD.sub(r"<b>\1</b>", str(escape(text)))
