#!/usr/bin/env python3
"""Tokenizer goldens for LlavaRad.CheXbert: a made-up vocab and >= 2,000 stress strings with their ids.

An independent Python implementation of CheXbert's text preparation (bert_tokenizer.py) and of BERT's uncased
BasicTokenizer + WordPiece as transformers writes them, in plain Python (unicodedata, re). Run from this folder:
    python3 Reference/make_tokenizer_goldens.py
Writes Goldens/vocab.txt and Goldens/tokenizer-goldens.jsonl. Deterministic (seeded).
"""
import json
import random
import re
import unicodedata

WORDS = ["no", "pleural", "effusion", "pneumo", "##thorax", "heart", "size", "is", "normal", "the", "lung", "##s",
         "are", "clear", "mild", "cardio", "##megaly", "edema", "##ia", "atelect", "##asis", "tube", "line", "un",
         "##changed", "ß", "##ß", "中", "文", "肺", "の", "i", "##ing", "##ed", "x", "ray", "cafe", "naive", "resume"]
VOCAB = (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("abcdefghijklmnopqrstuvwxyz0123456789")
         + ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"] + list(".,;:!?()[]-/'\"%&*+<=>@^_`{|}~$#\\")
         + ["…", "«", "»", "¿", "—", "·"] + [w for w in WORDS if w not in "abcdefghijklmnopqrstuvwxyz"])
VOCAB = list(dict.fromkeys(VOCAB))


def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def is_control(ch):
    return ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 or unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return any(lo <= cp <= hi for lo, hi in [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
                                            (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)])


def basic_tokens(text):
    cleaned = []
    for ch in text:
        if ord(ch) in (0, 0xFFFD) or is_control(ch):
            continue
        cleaned.append(" " if is_whitespace(ch) else (" %s " % ch if is_cjk(ord(ch)) else ch))
    out = []
    for word in "".join(cleaned).split():
        word = "".join(c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn")
        piece = ""
        for ch in word:
            if is_punctuation(ch):
                if piece:
                    out.append(piece)
                out.append(ch)
                piece = ""
            else:
                piece += ch
        if piece:
            out.append(piece)
    return out


def wordpiece(word, vocab):
    if len(word) > 100:
        return [vocab["[UNK]"]]
    ids, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            sub = ("##" if start else "") + word[start:end]
            if sub in vocab:
                ids.append(vocab[sub])
                break
            end -= 1
        else:
            return [vocab["[UNK]"]]
        start = end
    return ids


def encode(report, vocab):
    """CheXbert bert_tokenizer.py: strip, \\n -> space, \\s+ -> space, tokenize, [CLS] .. [SEP], cut to 511 + [SEP]."""
    text = re.sub(r"\s+", " ", report.strip().replace("\n", " ")).strip()
    ids = [i for t in basic_tokens(text) for i in wordpiece(t, vocab)]
    if not ids:
        return [vocab["[CLS]"], vocab["[SEP]"]]
    ids = [vocab["[CLS]"]] + ids + [vocab["[SEP]"]]
    return ids[:511] + [vocab["[SEP]"]] if len(ids) > 512 else ids


ODD = ["\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2000", "\u2009", "\u2028", "\u2029",
       "\u3000", "\x00", "\x07", "\x7f", "\u200b", "\u200d", "\ufeff", "\ufffd", "\ue000", "é", "É", "ñ", "ü", "\u0301",
       "Å", "İ", "ß", "中", "文", "肺", "\U00020000", "\U0002a700", "\U0002f800", "\uf900", "한", "の", "カ", "😀",
       "…", "——", "«", "»", "¿", "·", "!!!", "?!", "...", "$", "^", "`", "~", "Ω", "Ж", "ﬁ", "①", "²", "½"]


def stress(rng):
    parts = []
    for _ in range(rng.randint(0, 8)):
        r = rng.random()
        if r < 0.4:
            w = rng.choice(WORDS).lstrip("#")
            parts.append(w.upper() if rng.random() < 0.2 else w.capitalize() if rng.random() < 0.2 else w)
        elif r < 0.6:
            parts.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyzAEIOU0123456789") for _ in range(rng.randint(1, 9))))
        elif r < 0.9:
            parts.append(rng.choice(ODD))
        else:
            parts.append(rng.choice(" ,.;:-()/'\""))
        parts.append(rng.choice([" ", " ", " ", "", "  ", "\n", rng.choice(ODD)]))
    return "".join(parts)


def main():
    rng = random.Random(18)
    vocab = {t: i for i, t in enumerate(VOCAB)}
    texts = ["", "   ", "\n\t", "No pleural effusion.", "a" * 100, "a" * 101, "é" * 101, "中" * 120, "x" * 99 + "é",
             "ÉCHO Café naïve résumé", "\u00c5ngstr\u00f6m", "e\u0301", "\x00\x07\ufeff", "1.5 cm", "ｆｕｌｌｗｉｄｔｈ"]
    texts += [" ".join(rng.choice(WORDS).lstrip("#") for _ in range(n)) for n in (509, 510, 511, 512, 600)]
    texts += ["lung " * 255 + "x", "pneumothorax " * 300]
    while len(texts) < 2100:
        texts.append(stress(rng))
    with open("Goldens/vocab.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write("".join(t + "\n" for t in VOCAB))
    with open("Goldens/tokenizer-goldens.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for text in texts:
            f.write(json.dumps({"text": text, "ids": encode(text, vocab)}, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
