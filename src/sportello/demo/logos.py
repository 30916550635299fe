from io import BytesIO

from PIL import Image, ImageDraw, ImageFont


def shield_png(letter: str, background: str, foreground: str, size: int = 192) -> bytes:
    """A simple coat-of-arms-like shield with the town's initial, for the demo only."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    margin = size // 10
    top, bottom = margin, size - margin
    left, right = margin, size - margin
    middle = size // 2
    outline = [(left, top), (right, top), (right, middle), (middle, bottom), (left, middle)]
    draw.polygon(outline, fill=background, outline=foreground, width=max(2, size // 40))
    font = ImageFont.load_default(size=int(size * 0.45))
    box = draw.textbbox((0, 0), letter, font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = (size * 0.45 - (box[3] - box[1])) / 2 + top - box[1]
    draw.text((x, y), letter, fill=foreground, font=font)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
