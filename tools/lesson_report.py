#!/usr/bin/env python3
"""Runs every lesson in Jupyter with the real .NET Interactive kernel and counts what a learner would hit.

Each notebook is executed with nbconvert (nbclient) and the .net-csharp kernel, in quick mode with the answer
key, errors allowed so that every cell runs. Prints, per lesson and in total: error cells, stderr outputs,
quizzes shown as the kernel's default object table, quiz cards, and the run time.

  /usr/bin/python3 tools/lesson_report.py [NOTEBOOK...]      (default: notebooks/*.ipynb)
"""
import glob
import html
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient

HEADLINE = re.compile(r"\[[^\]\s]+\] [^\n]{0,120}? — (✔ correct|✘ not yet|○ not answered yet)")
TAGS = re.compile(r"<[^>]*>")


def text(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def report(path):
    nb = nbformat.read(path, as_version=4)
    start = time.time()
    client = NotebookClient(nb, timeout=1800, kernel_name=".net-csharp", allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client.execute()
    errors = stderr = tables = cards = 0
    for cell in nb.cells:
        outputs = cell.get("outputs", [])
        if any(o.output_type == "error" for o in outputs):
            errors += 1
        for o in outputs:
            if o.output_type == "stream" and o.name == "stderr":
                stderr += 1
            page = text(o.get("data", {}).get("text/html"))
            if "dni-" in page and HEADLINE.search(html.unescape(TAGS.sub(" ", page))):
                tables += 1
            if "textgen-quiz" in page:
                cards += 1
    return errors, stderr, tables, cards, time.time() - start


def main(paths):
    os.environ.setdefault("TEXTGEN_QUICK", "1")
    os.environ.setdefault("TEXTGEN_ANSWER_KEY", "1")
    totals = [0, 0, 0, 0, 0.0]
    clean = 0
    print(f"{'lesson':40} {'error cells':>11} {'stderr':>7} {'quiz tables':>11} {'quiz cards':>10} {'seconds':>8}")
    for path in paths:
        row = report(path)
        clean += row[0] == 0
        totals = [t + r for t, r in zip(totals, row)]
        print(f"{os.path.basename(path):40} {row[0]:11} {row[1]:7} {row[2]:11} {row[3]:10} {row[4]:8.1f}")
    print(f"{'all ' + str(len(paths)) + ' lessons':40} {totals[0]:11} {totals[1]:7} {totals[2]:11} {totals[3]:10} {totals[4]:8.1f}")
    print(f"lessons with no error cell: {clean} of {len(paths)}")


if __name__ == "__main__":
    main(sys.argv[1:] or sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "notebooks", "*.ipynb"))))
