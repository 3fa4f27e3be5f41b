#!/usr/bin/env python3
"""Edits lesson notebooks as JSON, keeping their formatting (2-space indent, UTF-8, source as a list of lines).

Used by maintainers for mechanical edits across lessons; import it and call load/save, or run
`tools/nbedit.py show NOTEBOOK` to print the cells with their indices.
"""
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def source(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def set_source(cell, text):
    lines = text.split("\n")
    cell["source"] = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def save(path, nb):
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(nb, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "show":
    for i, c in enumerate(load(sys.argv[2])["cells"]):
        print(f"--- [{i}] {c['cell_type']}")
        print(source(c))
