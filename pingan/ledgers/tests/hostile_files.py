"""Hostile spreadsheets built in the tests (finding 11): a 1 MB xlsx whose shared-string table inflates to
1 GB, and a small xlsx of 20 million empty rows. Real, valid zip files: a repeated chunk of input is deflated
once and its bytes repeated (a full flush resets the compressor, so each repetition is the same bytes), which
builds a gigabyte member in well under a second instead of compressing a gigabyte."""
from __future__ import annotations

import struct
import zlib

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CONTENT_TYPES = (
    XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
RELS = (XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WORKBOOK = (XML + f'<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                 '</Relationships>')


class Member:
    """One deflated zip member built from pieces: plain bytes, or (chunk, times) repeated."""

    def __init__(self, name: str):
        self.name = name
        self.compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        self.data: list[bytes] = []
        self.crc = 0
        self.size = 0

    def add(self, piece: bytes, times: int = 1) -> "Member":
        deflated = self.compressor.compress(piece) + self.compressor.flush(zlib.Z_FULL_FLUSH)
        if times > 1:
            # After a full flush the compressor starts afresh: the same input gives the same bytes again.
            again = self.compressor.compress(piece) + self.compressor.flush(zlib.Z_FULL_FLUSH)
            assert again == deflated
        for _ in range(times):
            self.data.append(deflated)
            self.crc = zlib.crc32(piece, self.crc)
        self.size += len(piece) * times
        return self

    def finish(self) -> bytes:
        self.data.append(self.compressor.flush(zlib.Z_FINISH))
        return b"".join(self.data)


def make_zip(members: list[Member]) -> bytes:
    """A plain zip (no zip64: every member under 4 GB) of deflated members."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode()
        data = member.finish()
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, member.crc, len(data), member.size,
                           len(name), 0) + name + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, member.crc, len(data),
                               member.size, len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def _base(sheet: Member, strings: Member) -> bytes:
    parts = [Member("[Content_Types].xml").add(CONTENT_TYPES.encode()), Member("_rels/.rels").add(RELS.encode()),
             Member("xl/workbook.xml").add(WORKBOOK.encode()),
             Member("xl/_rels/workbook.xml.rels").add(WORKBOOK_RELS.encode()), sheet, strings]
    return make_zip(parts)


def _header_cells(headers: list[str]) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(headers)))
    return f'<row r="1">{cells}</row>'


def _strings(headers: list[str]) -> str:
    return "".join(f"<si><t>{h}</t></si>" for h in headers)


def shared_string_bomb(headers: list[str], megabytes: int = 1024) -> bytes:
    """A valid xlsx: the headers, one data row whose first cell is a shared string of `megabytes` MB of "A"."""
    sheet = Member("xl/worksheets/sheet1.xml").add(
        (XML + f"<worksheet {NS}><sheetData>{_header_cells(headers)}"
         f'<row r="2"><c r="A2" t="s"><v>{len(headers)}</v></c></row></sheetData></worksheet>').encode())
    strings = Member("xl/sharedStrings.xml")
    strings.add((XML + f'<sst {NS} count="{len(headers) + 1}" uniqueCount="{len(headers) + 1}">'
                 f"{_strings(headers)}<si><t>").encode())
    strings.add(b"A" * (1 << 20), megabytes)
    strings.add(b"</t></si></sst>")
    return _base(sheet, strings)


def empty_rows(headers: list[str], rows: int = 20_000_000) -> bytes:
    """A valid xlsx: the headers, then `rows` empty <row/> elements (each one row further down)."""
    chunk = 100_000
    sheet = Member("xl/worksheets/sheet1.xml")
    sheet.add((XML + f"<worksheet {NS}><sheetData>{_header_cells(headers)}").encode())
    sheet.add(b"<row/>" * chunk, rows // chunk)
    sheet.add(b"</sheetData></worksheet>")
    strings = Member("xl/sharedStrings.xml").add(
        (XML + f'<sst {NS} count="{len(headers)}" uniqueCount="{len(headers)}">{_strings(headers)}</sst>').encode())
    return _base(sheet, strings)


def far_row(headers: list[str], row_number: int = 20_000_000) -> bytes:
    """A tiny valid xlsx: the headers and one row numbered `row_number` (a reader that fills the gap with
    empty rows would make millions)."""
    sheet = Member("xl/worksheets/sheet1.xml").add(
        (XML + f"<worksheet {NS}><sheetData>{_header_cells(headers)}"
         f'<row r="{row_number}"><c r="A{row_number}" t="inlineStr"><is><t>x</t></is></c></row>'
         "</sheetData></worksheet>").encode())
    strings = Member("xl/sharedStrings.xml").add(
        (XML + f'<sst {NS} count="{len(headers)}" uniqueCount="{len(headers)}">{_strings(headers)}</sst>').encode())
    return _base(sheet, strings)


def wide_row(headers: list[str], cells: int = 1_000_000) -> bytes:
    """A valid xlsx: the headers and one row of `cells` empty cells (a reader that builds the whole row first
    holds them all)."""
    sheet = Member("xl/worksheets/sheet1.xml")
    sheet.add((XML + f"<worksheet {NS}><sheetData>{_header_cells(headers)}<row r=\"2\">").encode())
    sheet.add(b"<c/>" * 1000, cells // 1000)
    sheet.add(b"</row></sheetData></worksheet>")
    strings = Member("xl/sharedStrings.xml").add(
        (XML + f'<sst {NS} count="{len(headers)}" uniqueCount="{len(headers)}">{_strings(headers)}</sst>').encode())
    return _base(sheet, strings)
