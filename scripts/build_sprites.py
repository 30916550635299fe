"""Write the subset of Bootstrap Italia's icon sprite that the templates use (called by scripts/build-css).

Pages reference icons as ``{% static 'sportello/sprites.svg' %}#it-name``; the full sprite is 94 KB for about
ten icons. The output is committed; core/tests/test_frontend.py fails when a template names a missing icon.
"""

import re
import sys
from pathlib import Path

ICON = re.compile(r"sprites\.svg[^#\n]{0,8}#(it-[a-z0-9-]+)")
SYMBOL = re.compile(r'<symbol id="(it-[a-z0-9-]+)".*?</symbol>', re.S)


def icons_used(root: Path) -> set[str]:
    return {name for path in root.rglob("*.html") for name in ICON.findall(path.read_text(encoding="utf-8"))}


def subset(full_sprite: str, names: set[str]) -> str:
    symbols = {m.group(1): m.group(0) for m in SYMBOL.finditer(full_sprite)}
    missing = names - symbols.keys()
    if missing:
        raise SystemExit(f"icons not in Bootstrap Italia's sprite: {', '.join(sorted(missing))}")
    body = "".join(symbols[name] for name in sorted(names))
    return f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>\n'


if __name__ == "__main__":
    full, templates, out = (Path(arg) for arg in sys.argv[1:4])
    Path(out).write_text(subset(full.read_text(encoding="utf-8"), icons_used(templates)), encoding="utf-8")
