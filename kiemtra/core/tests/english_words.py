"""The check that no page a browser test opens is left in English: words of the English catalogue, found.

The words come from the msgstr values of ``kiemtra/locale/en/LC_MESSAGES/django.po``
(what the English interface says), less those that are also Vietnamese: any word
of the Vietnamese msgids (``Excel``, ``PDF``, ``VNeID``…) and any word that is a
valid Vietnamese syllable written without its marks (``can``, ``to``, ``the``,
``in``…), which could be Vietnamese text typed without diacritics. What remains
(``report``, ``accounts``, ``central``, ``saved``…) has no business on a Vietnamese page.

Code, URLs, identifiers and e-mail addresses are ignored: text inside ``code``,
``pre``, ``kbd``, ``script``, ``style``, elements marked ``lang`` in another
language, and any chunk with a digit, dot, slash, underscore, ``@`` or colon inside it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

INITIALS = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
NUCLEI = (
    "uyeu|uyu|uye|uya|uay|uai|uoi|uou|oai|oay|oeo|ieu|yeu|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ya|ye|"
    "a|e|i|o|u|y"
)
FINALS = r"(?:ch|nh|ng|[cmnpt])?"
VIETNAMESE_SYLLABLE = re.compile(rf"^{INITIALS}(?:{NUCLEI}){FINALS}$")
WORD = re.compile(r"[^\W\d_]+")
CHUNK = re.compile(r"\S+")
CODE_LIKE = re.compile(r"[\d./_@:\\]")
PUNCTUATION = ".,;:!?()[]{}«»\"'…“”‘’"


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _plain(text: object) -> str:
    """A message (or a plural message's forms) without placeholders and markup."""
    forms = text if isinstance(text, (tuple, list)) else (text,)
    return " ".join(re.sub(r"%\(\w+\)[sdf]|\{\{[^}]*\}\}|<[^>]+>", " ", str(f or "")) for f in forms)


@cache
def english_words() -> frozenset[str]:
    catalogue = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
    with catalogue.open("rb") as f:
        messages = [m for m in read_po(f) if m.id]
    english: set[str] = set()
    vietnamese: set[str] = set()
    for message in messages:
        vietnamese |= _words(_plain(message.id))
        english |= _words(_plain(message.string))
    return frozenset(w for w in english - vietnamese if len(w) > 1 and w.isascii() and not VIETNAMESE_SYLLABLE.match(w))


def english_found(text: str) -> list[str]:
    """The English words of ``text`` (in order, each once), ignoring code-like chunks."""
    words = english_words()
    found: list[str] = []
    for chunk in CHUNK.findall(text):
        if CODE_LIKE.search(chunk.strip(PUNCTUATION)):
            continue
        for word in WORD.findall(chunk):
            low = word.lower()
            if low in words and low not in found:
                found.append(low)
    return found


# Run in the page: the text a reader sees or hears (hidden parts and attributes included),
# without code and without parts marked as another language.
PAGE_TEXT_JS = """() => {
  if (!(document.documentElement.lang || "").startsWith("vi")) return null;
  const skip = 'script,style,code,pre,kbd,samp,noscript,template,#lang,[lang]:not([lang^="vi"])';
  const root = document.body.cloneNode(true);
  root.querySelectorAll(skip).forEach((e) => e.remove());
  const names = ["placeholder", "title", "aria-label", "alt"];
  const attrs = [...root.querySelectorAll("[placeholder],[title],[aria-label],[alt]")]
    .flatMap((e) => names.map((n) => e.getAttribute(n) || ""));
  return [document.title, root.textContent, ...attrs].join("\\n");
}"""
