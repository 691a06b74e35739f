#!/usr/bin/env python3
"""Independent draft-vs-final agreement: per-finding PPV/sensitivity from the labels, and the normalised
Levenshtein distance from the raw texts (python's own implementation, not the C# one).

Input (stdin): JSON lines {"draftText", "finalText", "draftPositive": [...], "finalPositive": [...]}.
Output (stdout): {"findings": {name: {"tp", "fp", "fn", "ppv", "sensitivity"}}, "editDistances": [...]}.
"""
import json
import sys


def levenshtein(a, b):
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return rows[len(a)][len(b)]


def main():
    pairs = [json.loads(line) for line in sys.stdin if line.strip()]
    names = sorted({n for p in pairs for n in p["draftPositive"] + p["finalPositive"]})
    findings = {}
    for name in names:
        tp = sum(1 for p in pairs if name in p["draftPositive"] and name in p["finalPositive"])
        fp = sum(1 for p in pairs if name in p["draftPositive"] and name not in p["finalPositive"])
        fn = sum(1 for p in pairs if name not in p["draftPositive"] and name in p["finalPositive"])
        findings[name] = {"tp": tp, "fp": fp, "fn": fn,
                          "ppv": tp / (tp + fp) if tp + fp else None,
                          "sensitivity": tp / (tp + fn) if tp + fn else None}
    distances = []
    for p in pairs:
        a, b = p["draftText"], p["finalText"]
        longest = max(len(a), len(b))
        distances.append(levenshtein(a, b) / longest if longest else 0.0)
    json.dump({"findings": findings, "editDistances": distances}, sys.stdout)


if __name__ == "__main__":
    main()
