"""Word templates compiled once; each letter's .docx written at the speed of the file format.

In: a .docx carrying docxtpl's tags (`{{ x }}`, `{%p if %}`, `{%tr for %}` ...), as a company
edits it in Word. `compile_template` reads it once: the parts that carry tags (the document
body, headers, footers) become Jinja templates through docxtpl's own `patch_xml`, so every tag
means what it means to docxtpl, and every other member of the package is deflated once.
`CompiledTemplate.render` then gives one letter's .docx: the tagged parts rendered and
deflated, the rest copied as they are, zipped with a fixed timestamp (the same letter gives
the same bytes on every run). No document model is built per letter: that, and saving it,
was most of a letter's cost.

What only docxtpl's document model does — tags that add or drop table cells (`{%tc`, `{#tc`,
`colspan`, `hm`), rich-text and sub-document tags (`{{r`, `{{p`, `{{tr`, `{{tc`), tags in
footnotes or in the identifier / language properties, tables whose rows do not fill their
grid, drawings named another way, a package without document properties — makes
`compile_template` return why as an `Unsupported` instead; the caller renders that template
with docxtpl. Raises jinja2's `TemplateError` for a template that does not compile or render.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

# Per-letter parts are deflated fast (a letter is a few KB); parts shared by every letter of
# a template are deflated once, as small as zlib makes them.
ZIP_LEVEL = 1
_SHARED_LEVEL = 9

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TAGGED_PARTS = (f"{_RELATIONSHIPS}/header", f"{_RELATIONSHIPS}/footer")
_CORE_PROPERTIES = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
# The properties a letter sets; the template's others (keywords, category ...) are kept.
_CORE_SET = ("title", "subject", "creator", "description", "lastModifiedBy", "revision",
             "created", "modified")  # fmt: skip
_CORE_RENDERED = ("identifier", "language")  # docxtpl renders these from the template
# How python-docx writes a part it serialises (docxtpl's output went through it).
_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_MARK = "\ue000"  # a private-use character: where a rendered piece goes in a part

_JINJA = re.compile(r"\{[{%#]")
# docxtpl tags that change a table's cells (its `fix_tables` then rewrites the grid) or that
# insert rich text, sub-documents or listings, which a letter's context never holds.
_MODEL_ONLY = re.compile(r"\{%tc |\{#tc |\{\{tc |\{\{tr |\{\{r |\{\{p |\{%\s*(?:colspan|hm)\b")
_XML_TAG = re.compile(r"<[^>]+>")
# Text in a w:t element with a tab, newline, bell or form feed: docxtpl's `resolve_listing`
# turns those into Word's own tabs, breaks and paragraphs.
# (Text holds no "<": a newline followed by text up to "</w:t>" is in a w:t element.)
_NEWLINE_IN_TEXT = re.compile(r"\n[^<]*</w:t>")
_DOCPR = re.compile(r"<(\w+):docPr\b")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")[^"]*(")')


@dataclass(frozen=True)
class Unsupported:
    """Why only docxtpl's document model can render a template: `reason` names a message
    `letters.unsupported.<reason>` of the catalogue; `detail` is the tag concerned."""

    reason: str  # tag | table_grid | table_first_row | drawings | footnotes | properties ...
    detail: str = ""


@dataclass(frozen=True)
class _Member:
    """One member of a zip package, deflated."""

    name: bytes
    crc: int
    size: int
    data: bytes


def deflated(name: str, raw: bytes, level: int = ZIP_LEVEL) -> _Member:
    data = zlib.compress(raw, level, wbits=-15)  # raw deflate, as zip stores it
    return _Member(name.encode("utf-8"), zlib.crc32(raw), len(raw), data)


def zip_package(members: list[_Member], day: date) -> bytes:
    """A zip file of deflated members, every one stamped `day` at midnight (APPNOTE 4.3.7,
    4.3.12, 4.3.16: local headers, the central directory, its end record)."""
    stamp_time = 0
    stamp_date = (max(day.year, 1980) - 1980) << 9 | day.month << 5 | day.day
    made_by, needed, unix_file = 3 << 8 | 20, 20, 0o644 << 16  # as zipfile writes them
    local, central, offset = [], [], 0
    for m in members:
        common = struct.pack("<HHHHIII", 0, 8, stamp_time, stamp_date, m.crc, len(m.data),
                             m.size)  # fmt: skip
        head = struct.pack("<IH", 0x04034B50, needed) + common
        head += struct.pack("<HH", len(m.name), 0) + m.name
        local += (head, m.data)
        central.append(
            struct.pack("<IHH", 0x02014B50, made_by, needed) + common
            + struct.pack("<HHHHHII", len(m.name), 0, 0, 0, 0, unix_file, offset) + m.name
        )  # fmt: skip
        offset += len(head) + len(m.data)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                      len(directory), offset, 0)  # fmt: skip
    return b"".join(local) + directory + end


@dataclass(frozen=True, eq=False)
class CompiledTemplate:
    """A template ready to give letters: see the module docstring."""

    path: Path
    order: tuple[str, ...]  # member names, as the template has them
    shared: dict  # name -> _Member, copied into every letter
    body: object  # the document body's Jinja template
    body_name: str
    head: str  # the document part up to its body's content
    tail: str  # and after it
    parts: dict  # name -> Jinja template of a header or footer with tags
    core_name: str
    core_head: str  # document properties around the ones a letter sets
    core_tail: str
    drawings: bool  # the body holds drawings, whose ids docxtpl renumbers

    def render(self, context: dict, properties: dict, day: date) -> bytes:
        """The letter's .docx bytes. `properties`: title, subject and author."""
        members = []
        for name in self.order:
            if name in self.shared:
                members.append(self.shared[name])
                continue
            if name == self.body_name:
                xml = self.head + self._body(context) + self.tail
            elif name == self.core_name:
                xml = self._core(properties, day)
            else:
                xml = _DECLARATION + _rendered(self.parts[name], context)
            members.append(deflated(name, xml.encode("utf-8")))
        return zip_package(members, day)

    def _body(self, context: dict) -> str:
        xml = _rendered(self.body, context)
        if self.drawings:
            ids = iter(range(1001, 1_000_000))  # as docxtpl numbers them
            xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(ids)}{m.group(2)}", xml)
        # the body element as rendered carries its namespace declarations; the document's
        # own start tag (in `head`) declares them all already
        return xml[xml.index(">") + 1 : xml.rindex("</")]

    def _core(self, properties: dict, day: date) -> str:
        when = f"{day:%Y-%m-%d}T00:00:00Z"
        texts = {
            k: escape(str(properties.get(k, ""))[:255]) for k in ("title", "subject", "author")
        }
        return (
            f"{self.core_head}<dc:title>{texts['title']}</dc:title>"
            f"<dc:subject>{texts['subject']}</dc:subject><dc:creator>{texts['author']}</dc:creator>"
            "<dc:description></dc:description><cp:lastModifiedBy></cp:lastModifiedBy>"
            "<cp:revision>1</cp:revision>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            f"{self.core_tail}"
        )


def _rendered(template, context: dict) -> str:
    """docxtpl's `render_xml_part` after Jinja: the same clean-up, on the same text."""
    xml = template.render(context)
    xml = _PARAGRAPH_BREAK.sub("", xml)
    if "{_" in xml or "_}" in xml:  # docxtpl's escapes for a literal {{ or %}
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        xml = xml.replace("%_}", "%}")
    if "\t" in xml or "\a" in xml or "\f" in xml or _NEWLINE_IN_TEXT.search(xml):
        # rare: only then is docxtpl's slow regex walk needed
        xml = _docxtpl().resolve_listing(xml)
    return xml


_PARAGRAPH_BREAK = re.compile(r"\n(?=<w:p[ >])")  # the line breaks `_jinja_source` added


def _docxtpl():
    from docxtpl import DocxTemplate

    return DocxTemplate(None)  # its text helpers need no document


def _jinja_source(xml: str) -> str:
    """docxtpl's preparation of a part's XML for Jinja (`patch_xml`, then one paragraph a
    line, as `render_xml_part` does before compiling)."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", _docxtpl().patch_xml(xml))


def compile_template(path: Path, env) -> CompiledTemplate | Unsupported:
    """The template compiled, or why only docxtpl can render it."""
    import docx
    from docx.oxml.parser import parse_xml

    data = Path(path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        raw = {info.filename: package.read(info) for info in package.infolist()}
    document = docx.Document(io.BytesIO(data))
    main = document.part
    body = etree.tostring(document.element.body, encoding="unicode")  # as docxtpl reads it
    reason = _model_only(body) or _table_reason(document.element.body) or _drawing_reason(body)
    parts, core = {}, None
    for rel in main.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if rel.reltype in _TAGGED_PARTS and part.blob:
            xml = etree.tostring(parse_xml(part.blob), encoding="unicode")
            if _JINJA.search(xml):
                reason = reason or _model_only(xml)
                parts[_member(part)] = env.from_string(_jinja_source(xml))
    for part in main.package.iter_parts():
        if part.content_type == _FOOTNOTES and _JINJA.search(part.blob.decode("utf-8", "replace")):
            reason = reason or Unsupported("footnotes")
    core_part = next((r.target_part for r in main.package.rels.values()
                      if r.reltype == _CORE_PROPERTIES), None)  # fmt: skip
    if core_part is None:
        reason = reason or Unsupported("no_properties")
    else:
        core = core_part.element
        if any(_JINJA.search(getattr(core, f"{k}_text")) for k in _CORE_RENDERED):
            reason = reason or Unsupported("properties")
    if reason:
        return reason
    body_name, core_name = _member(main), _member(core_part)
    head, tail = _split_document(document.element)
    core_head, core_tail = _split_core(core)
    tagged = {body_name, core_name, *parts}
    return CompiledTemplate(
        path=Path(path),
        order=tuple(raw),
        shared={n: deflated(n, b, _SHARED_LEVEL) for n, b in raw.items() if n not in tagged},
        body=env.from_string(_jinja_source(body)),
        body_name=body_name,
        head=head,
        tail=tail,
        parts=parts,
        core_name=core_name,
        core_head=core_head,
        core_tail=core_tail,
        drawings="docPr" in body,
    )


def _member(part) -> str:
    return str(part.partname).lstrip("/")


def _model_only(xml: str) -> Unsupported | None:
    found = _MODEL_ONLY.search(_XML_TAG.sub("", xml))
    return Unsupported("tag", found.group(0).strip()) if found else None


def _table_reason(body) -> Unsupported | None:
    """docxtpl's `fix_tables` rewrites a table's grid when its rows, once rendered, span more
    or fewer columns than the grid has. Without the tags that change cells, rows are only
    repeated or dropped: a table whose every row spans its grid, and whose first row (which
    no row tag can drop) holds no tag, is left alone, so there is nothing to fix."""
    for table in body.iter(f"{_W}tbl"):
        grid = table.find(f"{_W}tblGrid")
        columns = 0 if grid is None else len(grid.findall(f"{_W}gridCol"))
        rows = list(table.iter(f"{_W}tr"))
        if any(_span(row) != columns for row in rows):
            return Unsupported("table_grid")
        if rows and _JINJA.search("".join(rows[0].itertext())):
            return Unsupported("table_first_row")
    return None


def _span(row) -> int:
    span = 0
    for cell in row.findall(f"{_W}tc"):
        merged = cell.find(f"{_W}tcPr/{_W}gridSpan")
        span += 1 if merged is None else int(merged.get(f"{_W}val"))
    return span


def _drawing_reason(body: str) -> Unsupported | None:
    prefixes = set(_DOCPR.findall(body))
    if prefixes - {"wp"} or len(_DOCPR.findall(body)) != len(_DOCPR_ID.findall(body)):
        return Unsupported("drawings")
    return None


def _split_document(element) -> tuple[str, str]:
    """The document part with its body emptied, cut where the body's content goes."""
    document = copy.deepcopy(element)
    body = document.find(f"{_W}body")
    for child in list(body):
        body.remove(child)
    body.text = _MARK
    head, tail = etree.tostring(document, encoding="unicode").split(_MARK)
    return _DECLARATION + head, tail


def _split_core(core) -> tuple[str, str]:
    """The template's document properties less those a letter sets, cut where they go."""
    kept = etree.Element(f"{{{_CORE_NS['cp']}}}coreProperties", nsmap=_CORE_NS)
    kept.text = _MARK
    for child in core:
        if etree.QName(child).localname not in _CORE_SET:
            kept.append(copy.deepcopy(child))
    head, tail = etree.tostring(kept, encoding="unicode").split(_MARK)
    return _DECLARATION + head, tail
