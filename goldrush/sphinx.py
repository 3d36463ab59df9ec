"""The book's Sphinx extension: what every page carries beyond the theme.

- The one base URL (:func:`goldrush.site.base_url`) for canonical links, the sitemap, the 404 page
  and Open Graph images.
- Per page: a meta description (the chapter's summary, or the page's first paragraph), Open Graph
  and Twitter card tags, with the page's first chart as preview image (a PNG of the chart's static
  picture, for those charts only, drawn by ``goldrush.previews`` while the pages are written).
- A footer with the book's version, the commit and the data snapshot's date.
- Launch buttons only once a public repository URL is set (``repository.url`` in ``_config.yml``).
- Pages without charts do not load the chart script; pandas tables lose ``<style scoped>`` and
  empty header cells; Jupyter Book's always-loaded sphinx-thebe scripts (a CDN, a JavaScript error
  on every page) are dropped.
- After the build: the landing page at the site's root too (no redirect) and the theme's icon fonts
  cut down to the icons the pages use (the theme's 1.5 MB icon script is not loaded at all, see ``book/_templates``).
"""

from __future__ import annotations

import functools
import html
import io
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from docutils import nodes

from goldrush import assets, book, chart_themes, data, paths, previews, site, svg_cache
from goldrush.errors import GoldrushError

DESCRIPTION_CHARS = 160
CHART_SCRIPT = "goldrush-charts.js"
PREVIEW = re.compile(r'data-preview="([^"]+)"')
STYLE_SCOPED = re.compile(r"<style scoped>.*?</style>\s*", re.S)
EMPTY_HEADER = re.compile(r"<th>\s*</th>")
# myst-nb names its code toggles "Toggle hidden content" while they show "Show code cell source"
TOGGLE_LABEL = re.compile(r'(<summary[^>]*?) aria-label="Toggle hidden content"')
TABLE = re.compile(r"<table(?![^>]*tabindex)")  # tables scroll sideways on a phone: keyboard users must reach them
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
ICON_FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")


def commit() -> str:
    """The commit the book was built from (the data repository's, else the package's), or ``unknown``."""
    for folder in (paths.ROOT, Path(__file__).resolve().parent):
        try:
            result = subprocess.run(
                ["git", "rev-parse", "--short=12", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10
            )
        except OSError:
            break
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    return "unknown"


def footer() -> str:
    """The line every page ends with: version, commit, snapshot date."""
    return (
        f'<p class="goldrush-footer">Gold Rush {html.escape(site.version())} · commit '
        f"<code>{html.escape(commit())}</code> · data snapshot of "
        f"{html.escape(str(data.package().get('version', 'unknown')))}</p>"
    )


def configure(app: Any, config: Any) -> None:
    config.html_baseurl = site.base_url()
    config.notfound_urls_prefix = urlparse(site.base_url()).path or "/"
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = footer()
    if not options.get("repository_url"):
        options["launch_buttons"] = {}
    config.html_theme_options = options


def _description(doctree: Any) -> str:
    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) >= 40:
            if len(text) <= DESCRIPTION_CHARS:
                return text
            return text[: DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""


def _previews(app: Any) -> dict[str, str]:
    if not hasattr(app.env, "goldrush_previews"):
        app.env.goldrush_previews = {}
    return app.env.goldrush_previews


def find_preview(app: Any, doctree: Any) -> None:
    """Remember the first chart picture of each page (its Open Graph image)."""
    docname = app.env.docname
    _previews(app).pop(docname, None)
    for raw in doctree.findall(nodes.raw):
        match = PREVIEW.search(raw.astext())
        if match:
            _previews(app)[docname] = posixpath.normpath(posixpath.join(posixpath.dirname(docname), match.group(1)))
            return


def merge_previews(app: Any, env: Any, docnames: set[str], other: Any) -> None:
    _previews(app).update({d: p for d, p in getattr(other, "goldrush_previews", {}).items() if d in docnames})


def purge_previews(app: Any, env: Any, docname: str) -> None:
    _previews(app).pop(docname, None)


def _is_thebe(script: Any) -> bool:
    body = getattr(script, "attributes", {}).get("body", "") or ""
    return "thebe" in str(getattr(script, "filename", script) or "") or "THEBE_JS_URL" in body


def _deferred(script: Any) -> Any:
    """The script, loaded without blocking the first paint (the page's inline settings only need
    documentation_options.js, which stays as it is)."""
    attributes = getattr(script, "attributes", None)
    filename = getattr(script, "filename", None)
    if not filename or attributes is None or "documentation_options" in filename or {"defer", "async"} & set(attributes):
        return script
    return type(script)(filename, priority=script.priority, **{**attributes, "defer": "defer"})


def page_context(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body", "")
    has_charts = "goldrush-chart" in body
    if "script_files" in context:
        context["script_files"] = [
            _deferred(s)
            for s in context["script_files"]
            if not _is_thebe(s) and (has_charts or CHART_SCRIPT not in str(getattr(s, "filename", s)))
        ]
    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"] if "thebe" not in str(getattr(c, "filename", c))]
    if body:
        context["body"] = TABLE.sub(
            '<table tabindex="0"', TOGGLE_LABEL.sub(r"\1", EMPTY_HEADER.sub("<td></td>", STYLE_SCOPED.sub("", body)))
        )
    title = html.unescape(re.sub(r"<[^>]+>", "", context.get("title", ""))) or app.config.project
    description = _description(doctree) if doctree is not None else ""
    previews = _previews(app)
    preview = previews.get(pagename) or next((previews[d] for d in sorted(previews)), None)
    tags = [
        ("name", "description", description),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:type", "article" if pagename != app.config.root_doc else "website"),
        ("property", "og:url", site.page_url(pagename)),
        ("property", "og:site_name", app.config.project),
        ("property", "og:image", site.base_url() + preview if preview else ""),
        ("name", "twitter:card", "summary_large_image" if preview else "summary"),
    ]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<meta {kind}="{name}" content="{html.escape(value)}" />' for kind, name, value in tags if value
    )


def memoise_stems(app: Any, *_: Any) -> None:
    """Sphinx's search index stems each page's words afresh (its memo lasts one page), and the same
    few thousand words recur on every page: give the build's indexer one memo for all pages. Its
    first chance is the first page written; pages are indexed in the main process."""
    language = getattr(getattr(app.builder, "indexer", None), "lang", None)
    if language is not None and not hasattr(language.stem, "cache_info"):
        language.stem = functools.cache(language.stem)


def _used_icons(outdir: Path) -> set[str]:
    names: set[str] = set()
    for page in outdir.rglob("*.html"):
        names.update(ICON_CLASS.findall(page.read_text(encoding="utf-8", errors="replace")))
    for script in (outdir / "_static" / "scripts").glob("*.js"):
        names.update(ICON_CLASS.findall(script.read_text(encoding="utf-8", errors="replace")))
    return names


def _codepoints(css: str, names: set[str]) -> set[int]:
    points = set()
    for name in names:
        for match in re.finditer(r"\.fa-" + re.escape(name) + r"\b[^{]*\{[^}]*?(?:--fa:|content:)\s*\"\\([0-9a-f]+)", css):
            points.add(int(match.group(1), 16))
    return points


def subset_icon_fonts(outdir: Path) -> None:
    """Keep only the glyphs of the icons the pages and the theme's scripts use."""
    import pydata_sphinx_theme

    theme_static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    css = (theme_static / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    points = _codepoints(css, _used_icons(outdir))
    for name in ICON_FONTS:
        source = theme_static / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        target = outdir / "_static" / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        if not source.exists() or not target.exists():
            continue
        stat = source.stat()
        made_from = f"{source} {stat.st_size} {stat.st_mtime_ns} {sorted(points)}"
        target.write_bytes(assets.kept(f"{name}.woff2", made_from, functools.partial(_subset, source, points)))


def _subset(font_file: Path, points: set[int]) -> bytes:
    """``font_file`` cut down to the glyphs of ``points`` (WOFF2)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.ignore_missing_unicodes = True
    font = subset.load_font(str(font_file), options)
    cmap = set(font.getBestCmap())
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points & cmap) or [0x20])
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def start_previews(app: Any, env: Any) -> None:
    """Once every page is read, start drawing (``goldrush.previews``, beside Sphinx's writers) the
    preview image of each chart that is some page's first, from the chart's light, wide SVG beside
    the chapters, unless the one drawn before is at least as new as that SVG."""
    if app.builder.format != "html":
        return
    jobs = []
    for preview in sorted(set(_previews(app).values())):
        folder, file = posixpath.split(preview)
        svg = Path(app.srcdir) / folder / svg_cache.static_name(file.removesuffix(".png"), "light", "wide")
        target = Path(app.outdir) / preview
        if svg.exists() and (not target.exists() or target.stat().st_mtime_ns < svg.stat().st_mtime_ns):
            jobs.append((svg, target))
    app.goldrush_previews = previews.start(jobs, chart_themes.THEMES["light"]["background"])


def finish(app: Any, exception: Exception | None) -> None:
    drawing = getattr(app, "goldrush_previews", None)
    if exception is not None or app.builder.format != "html":
        previews.stop(drawing)
        return
    outdir = Path(app.outdir)
    write_root_page(outdir, app.config.root_doc)
    subset_icon_fonts(outdir)
    previews.wait(drawing)


def write_root_page(outdir: Path, root_doc: str) -> None:
    """The site's address shows the landing page itself, not a redirect (a phone pays a second
    round trip for one): a copy of it whose ``<base>`` resolves its relative links from the
    landing page's folder; its canonical link names the landing page."""
    folder = posixpath.dirname(root_doc)
    if not folder:
        return  # the landing page is already the root page
    landing = (outdir / f"{root_doc}.html").read_text(encoding="utf-8")
    page, found = re.subn(r"(<head>\s*<meta charset=\"utf-8\" ?/?>)", rf'\1\n<base href="{folder}/">', landing, count=1)
    if not found:
        raise GoldrushError(f"{root_doc}.html has no <head> with a charset first: the root page cannot be made")
    (outdir / "index.html").write_text(page.lstrip(), encoding="utf-8")


def declare_parallel_safe(app: Any) -> None:
    """Two extensions Jupyter Book loads do not say whether they are safe to read in parallel (Sphinx
    then warns, an error here). They are: sphinx-multitoc-numbering only replaces how section numbers
    are assigned, which Sphinx does once, in the main process, after every document is read; the
    LaTeX extension does nothing in an HTML build."""
    for name in ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex"):
        extension = app.extensions.get(name)
        if extension is not None and extension.parallel_read_safe is None:
            extension.parallel_read_safe = True


def wait_until_told(app: Any) -> None:
    """In a build started ahead of its chapters (``goldrush.book.Run`` sets ``WHEN_TOLD``), wait
    for ``build`` on standard input (anything else ends the process) once Sphinx is set up, before
    any extension reads what the chapters publish (claim pages, parameters)."""
    if os.environ.get(book.WHEN_TOLD) and sys.stdin.readline().strip() != "build":
        raise SystemExit(0)


def parallel_for_many(app: Any, env: Any, docnames: list[str]) -> None:
    """Read and write in this process alone unless at least half the pages are read: forking
    Sphinx's workers and handing them the environment costs more than it saves on a few pages (a
    chapter rerun reads 7 of 56: 1.4 s in one process, 1.9 s in three)."""
    if len(docnames) * 2 < len(env.found_docs):
        app.parallel = 1


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", configure, priority=900)
    app.connect("builder-inited", wait_until_told, priority=0)
    app.connect("env-before-read-docs", parallel_for_many)
    app.connect("builder-inited", declare_parallel_safe)
    # small and deferred; it loads the Vega bundle (_static/vega) itself, on demand
    app.add_js_file(CHART_SCRIPT, defer="defer")
    app.connect("doctree-read", find_preview)
    app.connect("env-merge-info", merge_previews)
    app.connect("env-purge-doc", purge_previews)
    app.connect("env-updated", start_previews)
    app.connect("html-page-context", page_context, priority=900)
    app.connect("html-page-context", memoise_stems)
    app.connect("build-finished", finish, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
