"""Page cleaning: scraped-page furniture removed by general rules; title, byline and date found."""

from __future__ import annotations

import re

from .blocks import Block, IngestedDocument
from .lines import parse_date

__all__ = ["clean_blocks", "parse_date"]

# ------------------------------------------------------------------------------------------------ cleaning

_LOCALE_TOKEN = re.compile(r"^(?:[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?\d*|[A-Z]{2,3}\d*|[A-Z][a-z]?[-_][A-Z]{2}\d*)$")
_LANG_NAMES = {
    "english", "русский", "russian", "français", "francais", "french", "deutsch", "español", "espanol",
    "中文", "العربية", "ខ្មែរ", "ភាសាខ្មែរ", "khmer", "eng", "rus", "рус", "англ", "english version",
}
_SEP_ONLY = re.compile(r"^[\s|/•·,;:‣◦⁃\-–—>»«<›‹]*$")
#: longest block taken for a copyright line (longer ones are prose that mentions copyright)
_COPYRIGHT_MAX = 160
_COPYRIGHT = re.compile(r"(?:^©|\(c\)\s*\d{4}|copyright\b|all rights reserved|все права защищены)", re.I)
# Labels that content-management portals print on their widgets and pages (general UI vocabulary).
_UI_LABELS = {
    "asset publisher", "web content display", "advanced settings", "settings", "configuration", "options",
    "navigation", "navigation menu", "breadcrumb", "breadcrumbs", "menu", "main menu", "search", "search results",
    "share", "share this", "print", "print version", "printable version", "print this page", "email", "e-mail",
    "subscribe", "rss", "back", "back to top", "go back", "return", "next", "previous", "read more", "more",
    "skip to content", "skip to main content", "sign in", "log in", "login", "register", "contacts", "contact us",
    "sitemap", "site map", "home", "home page", "tags", "related", "related articles", "related news", "comments",
    "loading", "loading...", "close", "toggle navigation", "cookie settings", "accept", "accept cookies",
    "version for the visually impaired", "accessibility", "follow us", "top", "up", "permalink", "download",
    "версия для печати", "распечатать", "поделиться", "главная", "поиск", "назад", "наверх", "подробнее",
    "читать далее", "все новости", "контакты", "карта сайта", "войти", "вход", "настройки", "дополнительные настройки",
    "версия для слабовидящих", "меню", "теги", "комментарии", "подписаться",
}
_BYLINE = re.compile(
    r"^(?:an?\s+)?(?:article|op-?ed|opinion|interview|statement|speech|remarks|address|commentary|column|"
    r"message|letter|comment)s?\b.{0,80}\bby\b|^by\s+[A-Z]|^(?:статья|интервью|заявление|выступление|"
    r"комментарий|послание)\b.{0,120}",
    re.I,
)
# A site's greeting (a banner above every page) and a publisher's notice are never the document's title or text.
_BANNER = re.compile(r"^(?:welcome to\b|добро пожаловать\b|bienvenue\b|willkommen\b|សូមស្វាគមន៍)", re.I)
_NOTICE = re.compile(r"for information only|not an official (?:document|record)|не является официальным документом",
                     re.I)
_TERMINAL = re.compile(r"[.!?…:;។៕][\"'”’»)\]]*$")


def _is_switcher(text: str) -> bool:
    """A language switcher: only locale codes or language names, e.g. "en-GB1 ru-RU1", "EN | RU | KM"."""
    body = text.strip(" •·|/-–—[]()")
    if not body:
        return False
    tokens = [t for t in re.split(r"[\s|/•·,]+", body) if t]
    if not tokens or len(tokens) > 12:
        return False
    strong = 0
    for tok in tokens:
        low = tok.lower()
        if low in _LANG_NAMES:
            strong += 1
        elif _LOCALE_TOKEN.match(tok):
            if re.search(r"[-_]|\d", tok) or tok.isupper() or len(tokens) > 1:
                strong += 1 if (re.search(r"[-_]|\d", tok) or len(tokens) > 1) else 0
            else:
                return False
        else:
            return False
    if strong == 0:
        return False
    # "EU" or "UN" alone is a word, not a switcher; "en-GB", "EN | RU", "en-GB1 ru-RU1" are switchers.
    return len(tokens) > 1 or bool(re.search(r"[-_]|\d", tokens[0])) or tokens[0].lower() in _LANG_NAMES


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text)


def _is_short(text: str) -> bool:
    """Menu-like: at most three words, no sentence punctuation, not long, not a salutation ("Mr. President,")."""
    return len(_words(text)) <= 3 and len(text) <= 40 and not _TERMINAL.search(text) and not text.endswith(",")


def _is_prose(text: str) -> bool:
    """A body paragraph: a real sentence (several words ending with sentence punctuation)."""
    words = [w for w in _words(text) if not w.isdigit()]
    return len(words) >= 6 and bool(re.search(r"[.!?…។៕][\"'”’»)\]]*(?:\s|$)", text)) and not parse_date(text)


# Words that mark a short line as interface rather than content (used before and after the body only).
_UI_WORDS = set("""
widget widgets portlet portlets publisher footer header sidebar banner menu navigation nav settings preferences
configuration options links login logout signin search subscribe subscription share sharing print printable
cookie cookies breadcrumb breadcrumbs panel toolbar slider carousel rss feed newsletter sitemap viewer asset
assets display admin edit
меню навигация настройки поиск виджет подписка подписаться рассылка печати печать поделиться войти выйти
""".split())


def _is_banner(text: str) -> bool:
    """A site banner: a greeting of a few words ("Welcome to the United Nations. It's your world.")."""
    return bool(_BANNER.match(text)) and len(_words(text)) <= 12


def _is_ui_line(text: str) -> bool:
    return any(w.lower() in _UI_WORDS for w in _words(text))


def _is_name_like(text: str) -> bool:
    words = _words(text)
    return 2 <= len(words) <= 4 and all(w[0].isupper() and not w.isupper() for w in words) and not _is_ui_line(text)


def clean_blocks(blocks: list[Block], *, origin: str = "<pasted text>", fmt: str = "txt") -> IngestedDocument:
    """Remove page furniture from ``blocks`` and find title, byline and date. General rules:

    1. anywhere: lines of only separators/bullets, language switchers ("en-GB1 ru-RU1", "EN | RU"), copyright
       lines, publisher notices ("For information only - not an official document") and lines that are exactly a
       common portal/UI label ("Asset Publisher", "Print version") go;
    1a. before the body: a site banner ("Welcome to the United Nations. It's your world.", «Добро пожаловать в
       ООН») goes, and is never the title (in Markdown it stays but is not taken as the title);
    2. a line that is only a date stamp (also glued to the time: "29 December 202017:39") gives the date and
       goes (before the body only);
    3. before the first body paragraph (the page header): menu-like short lines (<= 3 words, no sentence
       punctuation) go when a longer heading-like line is there to be the title; after the last body
       paragraph (the page footer): short lines go, except a name right after the body (a signature);
    4. inside the body: runs of three or more short lines (a menu) go; a single short line is a sub-heading
       and stays. Headings from Markdown/HTML are never dropped as "short".
    """
    dropped: list[str] = []
    date: str | None = None
    keep: list[Block] = []
    page_like = fmt != "md"  # Markdown is authored, not scraped: only the universal rules apply
    for b in blocks:
        t = b.text
        low = t.lower().strip(" •·|:")
        # a copyright *line* is furniture; a paragraph of news about copyright is not
        if _SEP_ONLY.match(t) or _is_switcher(t) or (_COPYRIGHT.search(t) and len(t) <= _COPYRIGHT_MAX) or \
                (page_like and b.kind != "heading" and (low in _UI_LABELS or (
                    _NOTICE.search(t) and len(_words(t)) <= 12))):
            dropped.append(t)
            continue
        keep.append(b)

    if page_like:  # banners above the body
        first_body = next((i for i, b in enumerate(keep) if _is_prose(b.text) and not _is_banner(b.text)),
                          len(keep))
        dropped.extend(b.text for b in keep[:first_body] if _is_banner(b.text))
        keep = [b for i, b in enumerate(keep) if i >= first_body or not _is_banner(b.text)]
    prose_idx = [i for i, b in enumerate(keep) if _is_prose(b.text) and not _is_banner(b.text)]
    first = prose_idx[0] if prose_idx else len(keep)
    last = prose_idx[-1] if prose_idx else len(keep) - 1

    out: list[Block] = []
    header = keep[:first]
    # date stamps in the header (or anywhere when there is no body)
    h2: list[Block] = []
    for b in header:
        d = parse_date(b.text) if b.kind != "heading" else None
        if d:
            date = date or d
            dropped.append(b.text)
        else:
            h2.append(b)
    header = h2
    has_long = any(not _is_short(b.text) for b in header)
    for j, b in enumerate(header):
        if page_like and b.kind != "heading" and _is_short(b.text) and prose_idx \
                and (has_long or j < len(header) - 1 or _is_ui_line(b.text)):
            dropped.append(b.text)
        else:
            out.append(b)

    body = keep[first:last + 1] if prose_idx else []
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and body[j].kind in ("line", "para") and _is_short(body[j].text):
            j += 1
        if j - i >= 3 and page_like:  # a run of menu-like lines
            dropped.extend(b.text for b in body[i:j])
            i = j
            continue
        if j > i:
            out.extend(body[i:j])
            i = j
            continue
        out.append(body[i])
        i += 1

    footer = keep[last + 1:] if prose_idx else []
    signature = True  # a name right after the body is a signature; after page furniture it is furniture
    for b in footer:
        if page_like and b.kind != "heading" and (
                parse_date(b.text) or (_is_short(b.text) and not (signature and _is_name_like(b.text)))):
            dropped.append(b.text)
            signature = False
        else:
            out.append(b)

    if not out and keep:  # never clean a document away entirely: a bare title/heading is still content
        out = keep

    paragraphs = [b.text for b in out]
    byline = next((p for p in paragraphs[:4] if _BYLINE.search(p) and not _is_prose(p)), None)
    title = ""
    for b in out:
        if b.text == byline or _is_prose(b.text) or _is_banner(b.text):
            if _is_prose(b.text) and not _is_banner(b.text):
                break
            continue
        title = b.text
        break
    if not title:
        title = byline or (paragraphs[0] if paragraphs else "")
    if len(title) > 200:
        title = title[:197].rstrip() + "…"
    return IngestedDocument(title=title, date=date, byline=byline, paragraphs=paragraphs, origin=origin,
                            format=fmt, dropped=dropped)
