#!/usr/bin/env python3
"""Reads the first sheet of an XLSX workbook (a zip of XML parts) and prints it as JSON, for the API tests:
{"rows": [[cell, ...], ...]} where a cell is {"t": "s"|"n"|"b", "v": text or number, "bold": bool,
"date": bool} (date: the cell's number format shows a date).  Strings are resolved from the shared string
table or read inline.  Usage: xlsx.py FILE"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
BUILTIN_DATES = set(range(14, 23)) | {45, 46, 47}


def text_of(el):
    return ''.join(t.text or '' for t in el.iter('{%s}t' % NS['m']))


def col_index(ref):
    n = 0
    for ch in re.match(r'[A-Z]+', ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def main(path):
    z = zipfile.ZipFile(path)
    names = z.namelist()
    shared = []
    if 'xl/sharedStrings.xml' in names:
        root = ET.fromstring(z.read('xl/sharedStrings.xml'))
        shared = [text_of(si) for si in root.findall('m:si', NS)]
    styles = ET.fromstring(z.read('xl/styles.xml'))
    fmts = {int(f.get('numFmtId')): f.get('formatCode') for f in styles.findall('m:numFmts/m:numFmt', NS)}
    fonts = [f.find('m:b', NS) is not None for f in styles.findall('m:fonts/m:font', NS)]
    xfs = []
    for xf in styles.findall('m:cellXfs/m:xf', NS):
        fid = int(xf.get('numFmtId', '0'))
        code = fmts.get(fid, '')
        xfs.append({'bold': fonts[int(xf.get('fontId', '0'))],
                    'date': fid in BUILTIN_DATES or bool(re.search(r'[yd]', code))})
    sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
    rows = []
    for row in sheet.findall('m:sheetData/m:row', NS):
        cells = []
        for c in row.findall('m:c', NS):
            i = col_index(c.get('r'))
            while len(cells) < i:
                cells.append(None)
            t = c.get('t', 'n')
            style = xfs[int(c.get('s', '0'))]
            v = c.find('m:v', NS)
            if t == 's':
                val = shared[int(v.text)]
            elif t == 'inlineStr':
                val = text_of(c.find('m:is', NS))
                t = 's'
            elif t == 'str':
                val = v.text if v is not None else ''
                t = 's'
            else:
                val = float(v.text) if v is not None else None
            cells.append({'t': t, 'v': val, 'bold': style['bold'], 'date': style['date']})
        rows.append(cells)
    cols = [{'min': int(c.get('min')), 'width': float(c.get('width'))} for c in sheet.findall('m:cols/m:col', NS)]
    print(json.dumps({'rows': rows, 'cols': cols, 'sheets': [n for n in names if n.startswith('xl/worksheets/')]},
                     ensure_ascii=False))


if __name__ == '__main__':
    main(sys.argv[1])
