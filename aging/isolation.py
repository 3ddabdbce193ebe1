"""The pack isolation gate: does a written workbook hold another group's customer?

In: a written .xlsx, the pack's own customer ids and names, everyone else's, and where the
pack writes people (sales rep, manager, region columns). Out: the first `Leak` found (which
part, which cell or place, which customer), or None; `check_isolation` raises
`IsolationError` with it.

DESIGN "Safe": a pack holds no row, name or cached value of another manager's customers — not
in hidden sheets, chart caches, validation lists, comments or document properties. A leaked
row, chart point or list entry carries a customer's id or name as the whole VALUE of what it
occupies, so that is what the gate matches: the whole text of a cell (shared string, inline
string, formula result, a formula's string literal), of a chart cache point, of a validation
list entry, of a defined name's literal, of a comment, of a document property, of a sheet name
or attribute, of a header or footer section, of an XML comment. Words inside longer text are
not matched: a label such as "Credit hold" does not contain a customer called "Credit", and a
heading "Pack for 王伟" is not the customer 王伟. A value that is one of the pack's own ids or
names cannot be told apart from it and is the pack's own. A customer name equal to a person
of the pack (a sales rep called 王伟 and a customer called 王伟) is not a leak in the cells
where the pack writes that person (`PersonCells`); anywhere else it is. A text that is a plain
number is a number (a chart's number cache, a count), not an id.

The zip is read as text, without an XML parser (nothing is expanded; comments and CDATA a
parser would drop are read too). A part that is not XML (none of ours is) is searched for ids
and long names inside its text, since it has no values to match.

Memory stays bounded however large the pack (issue #15: a customer's 200,000-row Open items
sheet is 210 MB of XML): worksheets and the shared strings are read from the zip in pieces of
about a megabyte, each cut just after a cell's (or a shared string's) end tag, so that no
value is split between pieces, and only the values that are another customer's are kept. The
leak reported is the one the whole text would give: each kind of cell keeps its first leak,
and the text around a sheet's cells is checked before them. Other parts (charts, drawings,
properties, the workbook) are small and are read whole.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from aging.errors import OutputError


@dataclass(frozen=True)
class PersonCells:
    """Cells (0-based, inclusive) where the pack writes people: sales rep, manager, region."""

    sheet: str
    col: int
    first_row: int
    last_row: int

    def holds(self, sheet: str, row: int, col: int) -> bool:
        return sheet == self.sheet and col == self.col and self.first_row <= row <= self.last_row


@dataclass(frozen=True)
class Leak:
    part: str  # the zip member
    place: str  # "sheet 'Worklist' cell C9", "chart cache", "document property title" ...
    what: str  # "id" or "name"
    value: str
    customer_id: str  # whose (for a name: the id it belongs to)

    def describe(self) -> str:
        whose = f" (customer {self.customer_id})" if self.what == "name" else ""
        return (
            f"{self.place} ({self.part}) holds another customer's {self.what} {self.value!r}{whose}"
        )


class IsolationError(OutputError):
    """A pack holds another group's customer: it is not kept."""

    def __init__(self, message: str, leak: Leak | None = None) -> None:
        super().__init__(message)
        self.leak = leak


def check_isolation(
    pack_path: Path,
    own_ids: Iterable[str],
    other_ids: Iterable[str],
    other_names: Iterable[str] | Mapping[str, str],
    *,
    own_names: Iterable[str] = (),
    people: Iterable[str] = (),
    person_cells: Iterable[PersonCells] = (),
) -> None:
    """Raise `IsolationError` naming the first place another customer's id or name is the
    value of. `other_names` may map each name to its customer id (for the report)."""
    leak = find_leak(pack_path, own_ids, other_ids, other_names, own_names=own_names,
                     people=people, person_cells=person_cells)  # fmt: skip
    if leak is not None:
        raise IsolationError(f"{Path(pack_path).name}: {leak.describe()}", leak)


def find_leak(
    pack_path: Path,
    own_ids: Iterable[str],
    other_ids: Iterable[str],
    other_names: Iterable[str] | Mapping[str, str],
    *,
    own_names: Iterable[str] = (),
    people: Iterable[str] = (),
    person_cells: Iterable[PersonCells] = (),
) -> Leak | None:
    """The first `Leak` in the workbook, or None (see the module docstring)."""
    gate = _Gate(own_ids, other_ids, other_names, own_names, people, tuple(person_cells))
    with zipfile.ZipFile(pack_path) as archive:
        return gate.scan(archive)


# --- what a value is ---------------------------------------------------------------------------

# A number as a program writes one: no leading zero, so "00417" is text (an id), 417 a number.
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_HIDDEN = re.compile(r"<!--(.*?)-->|<!\[CDATA\[(.*?)\]\]>|<\?(.*?)\?>", re.S)
# A leaf element: its text holds no markup.
_LEAF = re.compile(r"<(?:[\w.\-]+:)?([\w.\-]+)(?:\s[^<>]*)?(?<!/)>([^<]+)</")
# Containers of rich text whose runs make one value: a shared or inline string, a comment,
# a drawing paragraph, a chart's rich text.
_RICH = re.compile(r"<((?:[\w.\-]+:)?(?:si|is|text|p|rich))\b[^>]*>(.*?)</\1>", re.S)
_RUN_TEXT = re.compile(r"<(?:[\w.\-]+:)?t(?:\s[^<>]*)?>([^<]*)</")
_PHONETIC = re.compile(r"<(?:[\w.\-]+:)?rPh\b.*?</(?:[\w.\-]+:)?rPh>", re.S)
# Attributes that carry user text (sheet and defined names, validation prompts, links).
_TEXT_ATTR = re.compile(r"\s(?:[\w.\-]+:)?(name|prompt|promptTitle|error|errorTitle|display"
                        r"|tooltip|location|title|descr)=\"([^\"]*)\"")  # fmt: skip
_STRING_CACHE = re.compile(
    r"<((?:[\w.\-]+:)?(?:multiLvlStrCache|strCache))\b[^>]*>(.*?)</\1>", re.S
)
_CACHE_POINT = re.compile(r"<(?:[\w.\-]+:)?v>([^<]*)</")
_FORMULA_TAGS = frozenset({"f", "formula", "formula1", "formula2", "definedName"})
_HEADER_TAGS = frozenset({"oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader",
                          "firstFooter"})  # fmt: skip
_LITERAL = re.compile(r'"((?:[^"]|"")*)"')
# A header/footer: &L &C &R start sections; &"font", &12, &P, &D ... are codes, not text.
_HF_SECTION = re.compile(r"&[LCR]")
_HF_CODE = re.compile(r'&"[^"]*"|&\d+|&[A-Za-z&]')


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def _formula_values(text: str) -> list[str]:
    """A formula's string literals, and each comma-separated entry of a list literal."""
    literals = [v.replace('""', '"') for v in _LITERAL.findall(unescape(text))]
    return literals + [p for v in literals if "," in v for p in v.split(",")]


def _header_values(text: str) -> list[str]:
    return [_HF_CODE.sub("", s) for s in _HF_SECTION.split(unescape(text))]


def _part_values(doc: str) -> Iterator[tuple[str, str]]:
    """(place, value) for every value of an XML part outside worksheet cells."""
    for _, cache in _STRING_CACHE.findall(doc):  # a chart's text points, even "417"
        for text in _CACHE_POINT.findall(cache):
            yield "chart cache", unescape(text)
    for tag, text in _LEAF.findall(doc):
        if tag in _FORMULA_TAGS:
            for value in _formula_values(text):
                yield _place(tag), value
        elif tag in _HEADER_TAGS:
            for value in _header_values(text):
                yield "header or footer", value
        else:
            value = unescape(text)
            if tag == "t" or not _is_number(value.strip()):
                yield _place(tag), value
    for _, body in _RICH.findall(doc):
        runs = _RUN_TEXT.findall(_PHONETIC.sub("", body))
        if len(runs) > 1:  # one run is a leaf, seen above
            yield "rich text", unescape("".join(runs))
    for name, text in _TEXT_ATTR.findall(doc):
        yield f"{name} attribute", unescape(text)
    for groups in _HIDDEN.findall(doc):
        yield "XML comment", "".join(groups)


_PLACES = {"v": "cached value", "t": "text", "definedName": "defined name",
           "formula1": "validation list", "formula2": "validation list", "f": "formula"}  # fmt: skip


def _place(tag: str) -> str:
    return _PLACES.get(tag, f"<{tag}>")


# --- worksheets --------------------------------------------------------------------------------

_SHEET = re.compile(r"<(?:[\w.\-]+:)?sheet\b([^>]*)/?>")
_ATTR = re.compile(r"\b([\w:]+)=\"([^\"]*)\"")
_RELATION = re.compile(r"<Relationship\b([^>]*)/?>")
_SST_ITEM = re.compile(r"<(?:[\w.\-]+:)?si>(.*?)</(?:[\w.\-]+:)?si>|<(?:[\w.\-]+:)?si/>", re.S)
_CELL_REF = re.compile(r"\br=\"([A-Z]{1,3})(\d+)\"")


def _attrs(text: str) -> dict[str, str]:
    return {k.split(":")[-1]: unescape(v) for k, v in _ATTR.findall(text)}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from workbook.xml and its relationships."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for rel in _RELATION.findall(rels):
        a = _attrs(rel)
        target = a.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[a.get("Id", "")] = target
    parts = {}
    for sheet in _SHEET.findall(book):
        a = _attrs(sheet)
        if a.get("id") in targets:
            parts[targets[a["id"]]] = a.get("name", "")
    return parts


def _shared_items(doc: str) -> Iterator[tuple[str, str]]:
    """(text, phonetic text) of each shared string in (a piece of) sharedStrings.xml, in order."""
    for found in _SST_ITEM.finditer(doc):
        body = found.group(1) or ""
        if body.startswith("<t") and body.count("<") == 2:  # one plain run: the usual case
            yield unescape(body[body.index(">") + 1 : body.rindex("<")]), ""
            continue
        phonetic = "".join(_RUN_TEXT.findall("".join(_PHONETIC.findall(body))))
        text = "".join(_RUN_TEXT.findall(_PHONETIC.sub("", body)))
        yield unescape(text), unescape(phonetic)


def _cells(kind: str, content: str) -> tuple[re.Pattern, re.Pattern]:
    """Cells of type `kind` whose content matches `content` (a regex), with any attribute
    order, written without and with a namespace prefix. Group 1: the attributes; then the
    content's groups. (Each pattern starts with a literal, so the engine leaps from one `<c`
    to the next; the prefixed one runs only where a piece has prefixed cells.)"""
    cell = r'<{0}c\b(?=[^>]*\bt="{1}")([^>]*?)(?<!/)>{2}</{0}c>'
    return tuple(re.compile(cell.format(p, kind, content), re.S) for p in ("", _PREFIX))


_PREFIX = r"[\w.\-]+:"
# An inline string: one plain run (group 2, the usual case, read as it is) or any content
# (group 3, its runs joined).
_INLINE_CELLS = _cells("inlineStr", r"(?:<is><t>([^<&]*)</t></is>|(.*?))")
_STR_CELLS = _cells("str", "(.*?)")
_STR_VALUE = re.compile(r"<(?:[\w.\-]+:)?v>([^<]*)</")
_STRING_FORMULAS = tuple(re.compile(rf'<{p}f\b[^>]*>([^<]*"[^<]*)</') for p in ("", _PREFIX))


def _shared_cells(indices: Iterable[int]) -> tuple[re.Pattern, re.Pattern]:
    """Cells showing one of these shared strings (group 2: the index)."""
    alternatives = "|".join(str(i) for i in sorted(indices))
    return _cells("s", rf"\s*<(?:[\w.\-]+:)?v>\s*({alternatives})\s*</[^<]*")


def _prefixed(doc: str, tag: str) -> bool:
    return f":{tag} " in doc or f":{tag}>" in doc


def _cell_at(attrs: str) -> tuple[str, int, int] | None:
    """('C9', row, col), 0-based, from a cell's attributes."""
    found = _CELL_REF.search(attrs)
    if not found:
        return None
    letters, number = found.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return f"{letters}{number}", int(number) - 1, col - 1


# --- reading a part in pieces ------------------------------------------------------------------

_CHUNK = 1 << 20  # bytes read from the zip at a time
_SPACE = "\ufeff \r\n\t"


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[str]:
    """A member's text in chunks, decoded as `data.decode("utf-8", "replace")` decodes it
    whole (the incremental decoder carries a character split between chunks)."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    with archive.open(info) as stream:
        while block := stream.read(_CHUNK):
            if text := decoder.decode(block):
                yield text
    if text := decoder.decode(b"", final=True):
        yield text


def _whole_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    return archive.read(info).decode("utf-8", "replace")


def _xml_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[str] | None:
    """The member's text in chunks when it is XML (starts with "<"), else None."""
    chunks = _chunks(archive, info)
    start = ""
    for chunk in chunks:
        start += chunk
        if start.lstrip(_SPACE):
            break
    if not start.lstrip(_SPACE).startswith("<"):
        return None
    return itertools.chain([start], chunks)


def _pieces(chunks: Iterable[str], tag: str) -> Iterator[str]:
    """The text again, in pieces each cut just after an end tag of `tag` (`</c>`, `</x:c>`),
    so that no element `tag` of a well-formed part is split between two pieces. A piece with
    no such end tag yet waits for the next chunk."""
    plain, ends = f"</{tag}>", re.compile(rf"</(?:{_PREFIX})?{tag}>")
    rest = ""
    for chunk in chunks:
        text = rest + chunk
        cut = text.rfind(plain)
        cut = cut + len(plain) if cut >= 0 else 0
        if not cut and _prefixed(text, tag):  # a part written with prefixes
            cut = max((found.end() for found in ends.finditer(text)), default=0)
        if cut:
            yield text[:cut]
        rest = text[cut:]
    if rest:
        yield rest


def _sheet_sections(chunks: Iterable[str]) -> Iterator[tuple[str, str]]:
    """A worksheet's text split as the gate reads it: ("cells", piece) for the text from the
    first `<sheetData` to the last `</sheetData>`, in pieces cut after a cell's end tag; then
    ("rest", the text around it). With no `</sheetData>` after `<sheetData` (or no
    `<sheetData` at all) there are no cells to read apart and the whole text is the rest:
    ("unsplit", "") after any pieces, for the caller to read the part whole (never for the
    sheets we write)."""
    chunks = iter(chunks)
    head = ""
    for chunk in chunks:
        seen = max(len(head) - len("<sheetData") + 1, 0)
        head += chunk
        start = head.find("<sheetData", seen)
        if start >= 0:
            break
    else:
        yield "rest", head
        return
    head, body = head[:start], head[start:]
    pieces = _pieces(itertools.chain([body], chunks), "c")
    for piece in pieces:  # `</sheetData>` holds no cell end tag: never split between pieces
        end = piece.find("</sheetData>")
        if end < 0:
            yield "cells", piece
            continue
        yield "cells", piece[:end]
        tail = "".join(itertools.chain([piece[end:]], pieces))
        last = tail.rfind("</sheetData>")
        if last > 0:  # another </sheetData>: what lies before the last one is cells too
            yield "cells", tail[:last]
            tail = tail[last:]
        yield "rest", head + tail
        return
    yield "unsplit", ""


# --- the gate ----------------------------------------------------------------------------------


class _Gate:
    def __init__(self, own_ids, other_ids, other_names, own_names, people, person_cells):
        own = {s.strip() for s in (*own_ids, *own_names) if s and str(s).strip()}
        # A value that is also one of the pack's own ids or names cannot be told apart.
        self.ids = {s.strip() for s in other_ids if s and s.strip()} - own
        named = other_names if isinstance(other_names, Mapping) else dict.fromkeys(other_names, "")
        self.names = {str(n).strip(): str(i) for n, i in named.items() if n and str(n).strip()}
        for value in own | self.ids:
            self.names.pop(value, None)
        self.people = {p.strip() for p in people if p and p.strip()}
        self.person_cells = person_cells

    def match(self, value: str) -> tuple[str, str, str] | None:
        """("id" or "name", value, whose id) when the value is another customer's."""
        value = str(value).strip()
        if value in self.ids:
            return "id", value, value
        if value in self.names:
            return "name", value, self.names[value]
        return None

    def scan(self, archive: zipfile.ZipFile) -> Leak | None:
        sheets = _sheet_parts(archive)
        infos = {info.filename: info for info in archive.infolist()}
        # Shared strings that are another customer's id or name: the cells using them decide.
        hits = {}
        if "xl/sharedStrings.xml" in infos:
            hits = self._shared_hits(archive, infos["xl/sharedStrings.xml"])
        names = [("(zip comment)", "zip comment", archive.comment.decode("utf-8", "replace"))]
        names += [(n, "file name", Path(n).stem) for n in infos]
        for part, place, value in names:
            hit = self.match(value)
            if hit:
                return Leak(part, place, *hit)
        shown = _shared_cells(hits) if hits else ()
        used: set[int] = set()
        for part, info in infos.items():
            if part == "xl/sharedStrings.xml":
                continue  # its strings are checked through the cells that use them
            chunks = _xml_chunks(archive, info)
            if chunks is None:
                leak = self._binary(part, archive.read(info))
            elif part in sheets:
                whole = functools.partial(_whole_text, archive, info)
                sections = _sheet_sections(chunks)
                leak = self._sheet(part, sheets[part], sections, whole, hits, shown, used)
            else:
                leak = self._values(part, _part_values("".join(chunks)))
            if leak is not None:
                return leak
        for index in sorted(set(hits) - used):  # a string no cell shows is still in the file
            return Leak("xl/sharedStrings.xml", f"shared string {index}", *hits[index])
        return None

    def _shared_hits(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict:
        """Index -> hit of each shared string that is another customer's id or name (or
        whose phonetic text is), read in pieces."""
        pieces = _pieces(_chunks(archive, info), "si")
        items = (item for piece in pieces for item in _shared_items(piece))
        return {i: h for i, (text, ph) in enumerate(items)
                if (h := self.match(text) or (ph and self.match(ph)))}  # fmt: skip

    def _values(self, part: str, values: Iterable[tuple[str, str]]) -> Leak | None:
        for place, value in values:
            hit = self.match(value)
            if hit:
                return Leak(part, place, *hit)
        return None

    def _sheet(self, part: str, sheet: str, sections: Iterable[tuple[str, str]],
               whole: Callable[[], str], hits: dict, shown: tuple, used: set) -> Leak | None:  # fmt: skip
        """The first leak of a worksheet read in sections (see `_sheet_sections`): in the
        text around its cells, else in its cells, in the order the gate checks cells (shared
        strings, inline strings, formula results, formula literals)."""
        first: dict[tuple, Leak] = {}  # each kind of cell's first leak, over all pieces
        shown_here: set[int] = set()
        for section, text in sections:
            if section == "cells":
                for order, attrs, hit in self._cell_hits(text, hits, shown, shown_here):
                    if order not in first and (leak := self._cell_leak(part, sheet, attrs, hit)):
                        first[order] = leak
                continue
            # the text around the cells is checked first; "unsplit": there are no cells
            rest = text if section == "rest" else whole()
            places = ((f"sheet '{sheet}' {p}", v) for p, v in _part_values(rest))
            leak = self._values(part, places)
            if leak is not None or section == "unsplit":
                return leak
        if first:
            return first[min(first)]
        used |= shown_here
        return None

    def _cell_hits(self, data: str, hits: dict, shown: tuple, used: set) -> Iterator[tuple]:
        """(order, cell attributes, hit) for each cell of a piece of <sheetData> holding
        another customer's value, `order` saying which kind of cell (and pass) found it."""
        passes = (0, 1) if _prefixed(data, "c") else (0,)
        if shown and 't="s"' in data:
            for p in passes:
                for cell in shown[p].finditer(data):
                    index = int(cell.group(2))
                    used.add(index)
                    yield (0, p), cell.group(1), hits[index]
        if 't="inlineStr"' in data:
            for p in passes:
                for attrs, plain, runs in _INLINE_CELLS[p].findall(data):
                    if runs:
                        plain = unescape("".join(_RUN_TEXT.findall(_PHONETIC.sub("", runs))))
                    if hit := self.match(plain):
                        yield (1, p), attrs, hit
        if 't="str"' in data:
            for p in passes:
                for attrs, content in _STR_CELLS[p].findall(data):
                    if hit := self.match(unescape("".join(_STR_VALUE.findall(content)))):
                        yield (2, p), attrs, hit
        for p in (0, 1) if _prefixed(data, "f") else (0,):
            for formula in _STRING_FORMULAS[p].finditer(data):  # a formula's own literals
                cell = data.rfind("<c ", 0, formula.start())
                attrs = data[cell : data.find(">", cell)] if cell >= 0 else ""
                for value in _formula_values(formula.group(1)):
                    if hit := self.match(value):
                        yield (3, p), attrs, hit

    def _cell_leak(self, part: str, sheet: str, attrs: str, hit: tuple) -> Leak | None:
        at = _cell_at(attrs)
        what, value, whose = hit
        if at and what == "name" and self._a_person(sheet, value, at):
            return None
        where = f"sheet '{sheet}' cell {at[0]}" if at else f"sheet '{sheet}'"
        return Leak(part, where, what, value, whose)

    def _a_person(self, sheet: str, value: str, at: tuple[str, int, int]) -> bool:
        _, row, col = at
        return value in self.people and any(c.holds(sheet, row, col) for c in self.person_cells)

    def _binary(self, part: str, data: bytes) -> Leak | None:
        """A part with no values to match: ids and long names anywhere in its text."""
        for text in (data.decode("utf-8", "replace"), data.decode("utf-16-le", "replace")):
            for what, needles in (
                ("customer id", _Needles.of(frozenset(self.ids), True)),
                ("customer name", _Needles.of(frozenset(self.names), False)),
            ):
                for needle in needles.find(text):
                    whose = needle if what == "id" else self.names[needle]
                    return Leak(part, "binary part", what, needle, whose)
        return None


# --- searching a binary part -------------------------------------------------------------------


class _Needles:
    """Many literal strings found in one pass of a compiled pattern (a trie of them)."""

    def __init__(self, needles: frozenset, boundary: str | None) -> None:
        self.pattern = _trie_regex(needles, boundary) if needles else None

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def of(values: frozenset, ids: bool) -> _Needles:
        if ids:  # ids with a digit that cannot be a cell reference, as words
            chosen = frozenset(v for v in values if len(v) >= 3 and re.search(r"\d", v)
                               and not re.fullmatch(r"\$?[A-Za-z]{1,3}\$?[1-9]\d*", v)
                               and not _is_number(v))  # fmt: skip
            return _Needles(chosen, r"[0-9A-Za-z._]")
        # names at least 3 characters and 6 columns wide, anywhere
        chosen = frozenset(v for v in values if len(v) >= 3 and _width(v) >= 6)
        return _Needles(chosen, None)

    def find(self, text: str) -> Iterator[str]:
        if self.pattern is not None:
            for found in self.pattern.finditer(text):
                yield found.group()


@functools.lru_cache(maxsize=8)
def _trie_regex(words: frozenset, boundary: str | None) -> re.Pattern:
    """One regular expression matching any of `words`, shaped as a trie so that the regex
    engine walks shared prefixes once (an alternation of 50,000 ids would try each)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    body = emit(trie)
    if boundary is None:
        return re.compile(body)
    return re.compile(f"(?<!{boundary})(?:{body})(?!{boundary})")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
