#!/usr/bin/python3
"""Independent expected values for the metric tests (run by hand, not by CI; the output is committed).

Run with Debian's Python and packages (apt-get install python3-nltk python3-sklearn):
    /usr/bin/python3 tests/LlavaRad.Findings.Tests/Reference/make_metric_goldens.py

* BLEU: n-gram clipping, "exp" smoothing (nltk method3 = mteval-v13a's 1/2^k) and brevity penalty from NLTK.
  sacreBLEU itself is not packaged in Debian 12. NLTK's NIST tokenizer needs a data download, so the 13a
  tokenizer below is written here from mteval-v13a.pl's rules. Two NLTK corpus_bleu details differ from sacreBLEU
  and are replaced: NLTK counts max(1, n) hypothesis n-grams for a sentence shorter than n (sacreBLEU counts the
  real 0), and sacreBLEU scores 0 when an order has no hypothesis n-grams at all.
* ROUGE-L: rouge_score is not packaged in Debian 12; written here from its documented tokenizer (lower-case,
  [^a-z0-9]+ -> space) and LCS F-measure (0 if either side has no tokens).
* Label F1: scikit-learn f1_score(average=micro|macro, zero_division=0) on fixed pseudo-random 0/1 matrices.
"""
import json
import math
import random
import re
from fractions import Fraction
from pathlib import Path

from nltk.translate.bleu_score import SmoothingFunction, brevity_penalty, modified_precision
from sklearn.metrics import f1_score

HERE = Path(__file__).resolve().parent.parent / "Goldens"


def tokenize_13a(line):
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    for entity, char in (("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")):
        line = line.replace(entity, char)
    line = f" {line} "
    line = re.sub(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])", r" \1 ", line)
    line = re.sub(r"([^0-9])([\.,])", r"\1 \2 ", line)
    line = re.sub(r"([\.,])([^0-9])", r" \1 \2", line)
    line = re.sub(r"([0-9])(-)", r"\1 \2 ", line)
    return line.split()


def corpus_bleu_0_100(pairs, max_order):
    correct = [0] * max_order
    total = [0] * max_order
    hyp_len = ref_len = 0
    for generated, reference in pairs:
        hyp, ref = tokenize_13a(generated), tokenize_13a(reference)
        hyp_len += len(hyp)
        ref_len += len(ref)
        for n in range(1, max_order + 1):
            correct[n - 1] += modified_precision([ref], hyp, n).numerator  # clipped matches (NLTK)
            total[n - 1] += max(0, len(hyp) - n + 1)
    if sum(correct) == 0 or 0 in total:
        return 0.0
    precisions = SmoothingFunction().method3([Fraction(c, t, _normalize=False) for c, t in zip(correct, total)])
    bp = brevity_penalty(ref_len, hyp_len)
    return 100 * bp * math.exp(sum(math.log(p) for p in precisions) / max_order)


def rouge_l(reference, generated):
    def tokens(text):
        return [t for t in re.sub(r"[^a-z0-9]+", " ", text.lower()).split() if t]
    target, prediction = tokens(reference), tokens(generated)
    if not target or not prediction:
        return 0.0
    table = [[0] * (len(prediction) + 1) for _ in range(len(target) + 1)]
    for i, a in enumerate(target, 1):
        for j, b in enumerate(prediction, 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a == b else max(table[i - 1][j], table[i][j - 1])
    lcs = table[-1][-1]
    p, r = lcs / len(prediction), lcs / len(target)
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def main():
    pairs = [json.loads(line) for line in (HERE / "metric-pairs.jsonl").read_text().splitlines() if line.strip()]
    pairs = [(p["generated"], p["reference"]) for p in pairs]
    subsets = {"all": list(range(len(pairs))), "identical": [0], "empty-hypothesis": [1],
               "first-six": list(range(6)), "without-empty": [i for i in range(len(pairs)) if i != 1]}
    bleu = {name: {"rows": rows,
                   "bleu1": corpus_bleu_0_100([pairs[i] for i in rows], 1),
                   "bleu4": corpus_bleu_0_100([pairs[i] for i in rows], 4)} for name, rows in subsets.items()}

    rng = random.Random(20240607)
    predicted = [[int(rng.random() < 0.3) for _ in range(14)] for _ in range(40)]
    reference = [[int(rng.random() < 0.3) for _ in range(14)] for _ in range(40)]
    for row in range(40):  # column 12 never positive in either: macro must count it as 0
        predicted[row][12] = reference[row][12] = 0
    five = [1, 4, 5, 7, 9]  # Cardiomegaly, Edema, Consolidation, Atelectasis, Pleural Effusion
    sub = lambda m: [[r[c] for c in five] for r in m]
    labels = {"predicted": predicted, "reference": reference, "five_columns": five,
              "micro14": f1_score(reference, predicted, average="micro", zero_division=0),
              "macro14": f1_score(reference, predicted, average="macro", zero_division=0),
              "micro5": f1_score(sub(reference), sub(predicted), average="micro", zero_division=0),
              "macro5": f1_score(sub(reference), sub(predicted), average="macro", zero_division=0)}

    goldens = {"generated_by": "Reference/make_metric_goldens.py",
               "tokens_13a": [tokenize_13a(g) for g, _ in pairs],
               "rouge_l": [rouge_l(r, g) for g, r in pairs],
               "bleu": bleu, "label_f1": labels}
    (HERE / "metric-goldens.json").write_text(json.dumps(goldens, indent=1) + "\n")


if __name__ == "__main__":
    main()
