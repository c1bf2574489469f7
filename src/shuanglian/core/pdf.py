"""PDF rendering shared by every module: the embedded CJK font and a fetcher that loads nothing else.

Chinese text must render in every PDF (village book, household file, mediation agreement ...), so the
font is resolved once here: `EXPORT_CJK_FONT` or fontconfig's Noto Sans CJK SC (Debian: fonts-noto-cjk).
"""
import logging
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from shuanglian.core.exceptions import DomainError

logger = logging.getLogger(__name__)


class ExportUnavailable(DomainError):
    """The server cannot make the document (a missing font): the operator has to act, not the user."""

    code = "export_unavailable"
    http_status = 503


# --- The CJK font --------------------------------------------------------------------------------

DEFAULT_CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # Debian: fonts-noto-cjk
DEFAULT_CJK_FONT_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONTCONFIG_FAMILY = "Noto Sans CJK SC"
FONT_PACKAGE = "fonts-noto-cjk"


def _missing_font_message() -> str:
    return _("No font with Chinese characters was found, so PDF exports cannot be made. Install the Debian "
             "package %(package)s (apt-get install %(package)s), or set EXPORT_CJK_FONT to the path of a "
             "Chinese font file (.otf, .ttf or .ttc).") % {"package": FONT_PACKAGE}


def _configured(name: str, default: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name) or default


def _fontconfig_files(style: str) -> list[tuple[str, int]]:
    """Files and face indexes fontconfig knows for FONTCONFIG_FAMILY (exact family, no substitutes)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        out = subprocess.run([fc_list, "-f", "%{file}\t%{index}\n", f"{FONTCONFIG_FAMILY}:style={style}"],
                             capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        path, _tab, index = line.partition("\t")
        if path and index.isdigit():
            found.append((path, int(index)))
    return found


def _family(face) -> str:
    names = face["name"]
    return str(names.getDebugName(16) or names.getDebugName(1) or "")


def _preferred_face(faces) -> int:
    """In a collection (Noto's .ttc holds JP, KR, SC, TC, HK): the Simplified Chinese face.

    Pango would otherwise take the first face, and Japanese glyph forms differ (骨, 直, 写 ...)."""
    families = [_family(f) for f in faces]
    for i, family in enumerate(families):
        if family == FONTCONFIG_FAMILY:
            return i
    for i, family in enumerate(families):
        if "Mono" not in family and re.search(r"\b(SC|CN|GB)\b", family):
            return i
    return 0


def _font_cache_dir() -> Path:
    return Path(getattr(settings, "VAR_DIR", "var")) / "fonts"


@lru_cache(maxsize=16)
def _usable_face(path: str, index: int | None, _mtime_ns: int) -> str | None:
    """A single-face font file with Chinese glyphs, from `path`; a collection's face is extracted once
    into var/fonts/ (WeasyPrint loads whole files, and a .ttc would give it every face)."""
    from fontTools.ttLib import TTCollection, TTFont  # heavy, and only for PDFs: loaded on first use

    try:
        with open(path, "rb") as fh:
            is_collection = fh.read(4) == b"ttcf"
        if not is_collection:
            face = TTFont(path, lazy=True)
            return path if ord("中") in (face.getBestCmap() or {}) else None
        faces = TTCollection(path, lazy=True).fonts
        index = _preferred_face(faces) if index is None else index
        face = faces[index]
        if ord("中") not in (face.getBestCmap() or {}):
            return None
        suffix = "otf" if face.sfntVersion == "OTTO" else "ttf"
        target = _font_cache_dir() / f"{Path(path).stem}-{index}-{_mtime_ns}.{suffix}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            # Saved from a fresh, untouched reading: its tables are copied as they are (under a second),
            # whereas a face whose cmap was read gets recompiled, which takes about a minute.
            TTCollection(path, lazy=True).fonts[index].save(str(partial))
            os.replace(partial, target)
        return str(target)
    except Exception as exc:  # a broken or unreadable font file: try the next candidate
        logger.warning("font %s (face %s) is not usable for exports: %s", path, index, exc)
        return None


def _resolve(configured: str, style: str) -> str | None:
    candidates: list[tuple[str, int | None]] = []
    if configured and Path(configured).is_file():
        candidates.append((configured, None))
    elif configured:
        logger.info("EXPORT_CJK_FONT %s is not a file; asking fontconfig for %s", configured, FONTCONFIG_FAMILY)
    candidates += _fontconfig_files(style)
    for path, index in candidates:
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            continue
        found = _usable_face(path, index, mtime)
        if found:
            return found
    return None


def cjk_fonts() -> dict[str, str]:
    """{"normal": path, "bold": path (if any)} of the fonts PDFs embed.

    EXPORT_CJK_FONT (setting or environment; default Debian's Noto Sans CJK) and EXPORT_CJK_FONT_BOLD,
    else what fontconfig has as "Noto Sans CJK SC". Without any: ExportUnavailable naming the package.
    """
    regular = _resolve(_configured("EXPORT_CJK_FONT", DEFAULT_CJK_FONT), "Regular")
    if regular is None:
        raise ExportUnavailable(_missing_font_message(), details={"package": FONT_PACKAGE})
    fonts = {"normal": regular}
    bold = _resolve(_configured("EXPORT_CJK_FONT_BOLD", DEFAULT_CJK_FONT_BOLD), "Bold")
    if bold:
        fonts["bold"] = bold
    return fonts


@lru_cache(maxsize=16)
def font_family_name(path: str) -> str:
    """The family the font file calls itself; PDFs name their embedded fonts after it."""
    from fontTools.ttLib import TTFont  # heavy, and only for PDFs: loaded on first use

    return re.sub(r'["\\]', "", _family(TTFont(path, lazy=True))) or "CJK"


def fonts_only(allowed: set[str]):
    """A URL fetcher that lets WeasyPrint read the font files and nothing else (no network, no other file)."""
    from weasyprint.urls import URLFetcher  # WeasyPrint needs Pango at import: loaded only for PDFs

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.split("?")[0] not in allowed:
                raise ValueError(f"exports load no resource but their fonts: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols={"file"})


def render_document(template: str, context: dict):
    """A template laid out by WeasyPrint with the CJK font embedded (a Document: its pages are counted, then
    `write_pdf()`). The template gets `font_urls` (weight -> file URL) and `font_family` for its @font-face
    rules; it may load nothing else."""
    try:
        # WeasyPrint needs Pango at import time: loaded only for PDFs, and refused with a message.
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
    except OSError as exc:  # WeasyPrint is installed but Pango is not
        raise ExportUnavailable(_("PDF exports need Pango: install the Debian packages libpango-1.0-0 and "
                                  "libpangoft2-1.0-0.")) from exc
    paths = cjk_fonts()
    fonts = {weight: Path(path).as_uri() for weight, path in paths.items()}
    html = render_to_string(template, {**context, "font_urls": fonts, "font_family": font_family_name(paths["normal"])})
    return HTML(string=html, url_fetcher=fonts_only(set(fonts.values()))).render(font_config=FontConfiguration())


def render_pdf(template: str, context: dict) -> bytes:
    return render_document(template, context).write_pdf()
