"""`make pdf`: the whole book as one PDF, printed by Debian's Chromium from the built site.

The pages of the table of contents are joined into one HTML document (each page's article, its
ids prefixed so that links stay inside the document), behind a linked contents page. Chromium
prints it with the site's print stylesheet (light static chart pictures, no navigation) into a
tagged PDF with bookmarks from the headings and page numbers in the footer.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from goldrush import paths, site, yamlfiles
from goldrush.errors import GoldrushError

CHROMIUM = "/usr/bin/chromium"
PDF_NAME = "goldrush.pdf"
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555;">'
    'Gold Rush {version} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)


def toc_pages() -> list[str]:
    """The book's pages in reading order (docnames from ``_toc.yml``)."""
    toc = yamlfiles.read(paths.ROOT / "_toc.yml")
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part.get("chapters", [])]
    return pages


def _article(page: Path, prefix: str, docnames: dict[str, str], html_root: Path) -> tuple[str, str]:
    """The page's article HTML, made to work inside the joined document, and its title."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    assert article is not None, f"{page}: no article and no body"
    h1 = article.find("h1")
    title = h1.get_text(" ", strip=True).rstrip("#").strip() if h1 else page.stem
    for tag in article.select("script, .headerlink, .goldrush-live, .goldrush-data, .toggle-button, button"):
        tag.decompose()
    for tag in article.find_all(id=True):
        tag["id"] = f"{prefix}-{tag['id']}"
    folder = page.parent
    for img in article.find_all("img"):
        src = img.get("src", "")
        if isinstance(src, str) and src and not re.match(r"^[a-z]+:", src):
            img["src"] = (folder / src).resolve().as_uri()
        img.attrs.pop("loading", None)
    for source in article.find_all("source"):
        source.decompose()  # the wide picture on paper
    for link in article.find_all("a", href=True):
        href = link["href"]
        if not isinstance(href, str):  # never: href is not a multi-valued attribute
            continue
        target, _, anchor = href.partition("#")
        if not target:
            link["href"] = f"#{prefix}-{anchor}" if anchor else f"#{prefix}"
        elif not re.match(r"^[a-z]+:", target) and target.endswith(".html"):
            resolved = (folder / target).resolve()
            other = docnames.get(str(resolved))
            if other:
                link["href"] = f"#{other}-{anchor}" if anchor else f"#{other}"
            else:
                link["href"] = site.base_url() + resolved.relative_to(html_root.resolve()).as_posix()
    return str(article.decode_contents()), title


def joined_html(html_root: Path) -> str:
    """One HTML document with a linked contents page and every page of the book."""
    docs = toc_pages()
    prefixes = {doc: f"p{i}" for i, doc in enumerate(docs)}
    by_path = {str((html_root / f"{doc}.html").resolve()): prefixes[doc] for doc in docs}
    sections, entries = [], []
    for doc in docs:
        page = html_root / f"{doc}.html"
        if not page.exists():
            raise GoldrushError(f"the built site has no {page.relative_to(html_root)}; run `make book` first")
        body, title = _article(page, prefixes[doc], by_path, html_root)
        entries.append(f'<li><a href="#{prefixes[doc]}">{html.escape(title)}</a></li>')
        sections.append(f'<div class="pdf-page" id="{prefixes[doc]}">{body}</div>')
    static = (html_root / "_static").resolve().as_uri()
    return (
        '<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8"><title>Gold Rush</title>'
        f'<link rel="stylesheet" href="{static}/styles/theme.css"><link rel="stylesheet" '
        f'href="{static}/styles/pydata-sphinx-theme.css">'
        f'<link rel="stylesheet" href="{static}/styles/sphinx-book-theme.css"><link rel="stylesheet" '
        f'href="{static}/goldrush.css">'
        "<style>@page { size: A4; margin: 16mm 14mm 18mm; } body { font-size: 11pt; }"
        " .cell_input, .goldrush-figure figcaption a { display: none !important; } .goldrush-figure figcaption { color: #444; }"
        " .pdf-page { break-before: page; } .pdf-contents ul { list-style: none; padding-left: 0; } .pdf-contents li { "
        "margin: 0.4em 0; font-size: 1.1em; } .goldrush-chart { break-inside: avoid; }</style>"
        '</head><body><main class="bd-article">'
        f'<section class="pdf-contents"><h1>Gold Rush</h1><p>Version {html.escape(site.version())} · '
        f"{html.escape(site.base_url())}</p>"
        f"<h2>Contents</h2><ul>{''.join(entries)}</ul></section>"
        f"{''.join(sections)}</main></body></html>"
    )


def headings(document: str) -> list[str]:
    """The text of every heading of the joined document, in order (the PDF's bookmarks)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(document, "html.parser")
    return [" ".join(h.get_text(" ", strip=True).split()) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]


def name_bookmarks(path: Path, titles: list[str]) -> None:
    """Give the PDF's bookmarks the headings' plain text (Chromium repeats parts of styled headings)."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=str(path))
    items = []

    def walk(node):
        while node is not None:
            item = node.get_object()
            items.append(item)
            walk(item.get("/First"))
            node = item.get("/Next")

    outlines = writer._root_object.get("/Outlines")
    walk(outlines.get_object().get("/First") if outlines else None)
    if len(items) != len(titles):
        return
    for item, title in zip(items, titles, strict=True):
        item[NameObject("/Title")] = TextStringObject(title)
    with open(path, "wb") as handle:
        writer.write(handle)


def build_pdf(html_root: Path | None = None, target: Path | None = None) -> Path:
    """Print the built site into ``_build/html/goldrush.pdf`` (linked from the landing page)."""
    from playwright.sync_api import sync_playwright

    html_root = html_root or paths.HTML
    target = target or html_root / PDF_NAME
    document = html_root / "_pdf_book.html"
    joined = joined_html(html_root)
    document.write_text(joined, encoding="utf-8")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            page = browser.new_page()
            page.goto(document.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                outline=True,
                tagged=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(version=html.escape(site.version())),
                margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            )
            browser.close()
    finally:
        document.unlink(missing_ok=True)
    name_bookmarks(target, headings(joined))
    return target


def main() -> None:
    try:
        path = build_pdf()
    except GoldrushError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"  book PDF: {path}")


if __name__ == "__main__":
    main()
