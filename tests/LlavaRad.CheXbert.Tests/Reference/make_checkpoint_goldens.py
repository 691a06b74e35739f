#!/usr/bin/env python3
"""Tiny random CheXbert checkpoints and their logits, from a plain-torch reference of the architecture.

CheXbert (stanfordmlgroup/CheXbert): bert-base-uncased BertModel, 14 linear heads on the last hidden state of
[CLS] (13 x 4 classes, "No Finding" x 2), saved by torch.save({"epoch", "model_state_dict", "optimizer_state_dict"})
from a DataParallel model ("module." keys). Written here from that description in plain torch (no transformers).
Two files: legacy format (pre-1.6 layout, storages re-tagged cuda:0 as a GPU-trained file is) and zip format.
Run from this folder after make_tokenizer_goldens.py:  python3 Reference/make_checkpoint_goldens.py
"""
import json
import math
import os
import sys

import numpy as np
import torch
from sklearn.metrics import precision_recall_fscore_support

sys.path.insert(0, os.path.dirname(__file__))
from make_tokenizer_goldens import VOCAB, encode  # noqa: E402  (the independent Python tokenizer)

CLASSES = [4] * 13 + [2]


def random_state(gen, vocab, hidden, layers, inter, positions):
    def mat(*shape):
        return torch.randn(*shape, generator=gen) * 0.2

    sd = {}
    e = "module.bert.embeddings."
    sd[e + "word_embeddings.weight"] = mat(vocab, hidden)
    sd[e + "position_embeddings.weight"] = mat(positions, hidden)
    sd[e + "token_type_embeddings.weight"] = mat(2, hidden)
    sd[e + "LayerNorm.weight"] = 1 + mat(hidden) * 0.5
    sd[e + "LayerNorm.bias"] = mat(hidden)
    for i in range(layers):
        p = "module.bert.encoder.layer.%d." % i
        for name, rows, cols in [("attention.self.query", hidden, hidden), ("attention.self.key", hidden, hidden),
                                 ("attention.self.value", hidden, hidden), ("attention.output.dense", hidden, hidden),
                                 ("intermediate.dense", inter, hidden), ("output.dense", hidden, inter)]:
            sd[p + name + ".weight"] = mat(rows, cols)
            sd[p + name + ".bias"] = mat(rows)
        for norm in ["attention.output.LayerNorm", "output.LayerNorm"]:
            sd[p + norm + ".weight"] = 1 + mat(hidden) * 0.5
            sd[p + norm + ".bias"] = mat(hidden)
    sd["module.bert.pooler.dense.weight"] = mat(hidden, hidden)
    sd["module.bert.pooler.dense.bias"] = mat(hidden)
    for i, c in enumerate(CLASSES):
        sd["module.linear_heads.%d.weight" % i] = mat(c, hidden) * 5
        sd["module.linear_heads.%d.bias" % i] = mat(c)
    return sd


def layer_norm(x, w, b):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + 1e-12) * w + b


def forward(sd, ids):
    """One unpadded report (list of ids) -> list of 14 logit lists."""
    g = lambda k: sd["module." + k].double()  # noqa: E731
    x = torch.tensor(ids)
    n = len(ids)
    h = g("bert.embeddings.word_embeddings.weight")[x] + g("bert.embeddings.position_embeddings.weight")[:n] \
        + g("bert.embeddings.token_type_embeddings.weight")[0]
    h = layer_norm(h, g("bert.embeddings.LayerNorm.weight"), g("bert.embeddings.LayerNorm.bias"))
    hidden = h.shape[-1]
    heads = hidden // 64
    i = 0
    while "module.bert.encoder.layer.%d.attention.self.query.weight" % i in sd:
        p = "bert.encoder.layer.%d." % i
        lin = lambda t, name: t @ g(p + name + ".weight").T + g(p + name + ".bias")  # noqa: E731
        q, k, v = (lin(h, "attention.self." + s).reshape(n, heads, 64).transpose(0, 1) for s in ("query", "key", "value"))
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(64), dim=-1) @ v
        att = att.transpose(0, 1).reshape(n, hidden)
        a = layer_norm(lin(att, "attention.output.dense") + h, g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"))
        f = lin(a, "intermediate.dense")
        f = 0.5 * f * (1 + torch.erf(f / math.sqrt(2)))
        h = layer_norm(lin(f, "output.dense") + a, g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"))
        i += 1
    cls = h[0]
    return [(cls @ g("linear_heads.%d.weight" % j).T + g("linear_heads.%d.bias" % j)).tolist() for j in range(14)]


def save(sd, path, legacy):
    model = torch.nn.Linear(2, 2)
    opt = torch.optim.Adam(model.parameters())
    model(torch.ones(1, 2)).sum().backward()
    opt.step()
    checkpoint = {"epoch": 7, "model_state_dict": sd, "optimizer_state_dict": opt.state_dict()}
    torch.save(checkpoint, path, _use_new_zipfile_serialization=not legacy)
    if legacy:  # a checkpoint saved on a GPU names its storages' device cuda:0 (the pickle has no offsets, so lengths may change)
        data = open(path, "rb").read()
        assert b"X\x03\x00\x00\x00cpu" in data
        open(path, "wb").write(data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0"))
    loaded = torch.load(path, map_location="cpu")["model_state_dict"]
    assert all(torch.equal(loaded[k], sd[k]) for k in sd)


FIVE = [1, 4, 5, 7, 9]  # Cardiomegaly, Edema, Consolidation, Atelectasis, Pleural Effusion (CheXpert order)


def f1_table(generated, reference):
    """rrg_eval's scores on 4-class label rows: micro/macro F1 over 14 and 5 columns, without and with "+"."""
    out = {}
    for plus in (False, True):
        def binary(rows):
            a = np.array(rows)
            return ((a == 1) | ((a == 3) if plus else False)).astype(int)
        g, r = binary(generated), binary(reference)
        for name, cols in (("14", list(range(14))), ("5", FIVE)):
            for average in ("micro", "macro"):
                f1 = precision_recall_fscore_support(r[:, cols], g[:, cols], average=average, zero_division=0)[2]
                out["%s-%s%s" % (average, name, "+" if plus else "")] = float(f1)
    return out


def main():
    vocab = {t: i for i, t in enumerate(VOCAB)}
    texts = ["", "No pleural effusion or pneumothorax.", "Heart size is normal. Lungs are clear.",
             "Mild cardiomegaly; edema?", "ET tube line unchanged.\n\nAtelectasis.", "中文 肺 Café", "x" * 120,
             "pneumothorax " * 12, "the lung is clear", "(!)", "ÉDEMA   resume\tnaive", "12.5 cm", "no no no"]
    texts = [t for t in texts if len(encode(t, vocab)) <= 40]
    goldens = {"texts": texts, "ids": [encode(t, vocab) for t in texts]}
    gen = torch.Generator().manual_seed(18)
    for name, hidden, layers, inter, legacy in [("legacy", 64, 2, 16, True), ("zip", 128, 1, 16, False)]:
        sd = random_state(gen, len(VOCAB), hidden, layers, inter, 40)
        save(sd, "Goldens/chexbert-tiny-%s.pth" % name, legacy)
        goldens[name] = [forward(sd, ids) for ids in goldens["ids"]]
    # End to end: the zip model labels pairs (text i, text n-1-i); and fixed random 4-class rows for the F1 alone.
    classes = [[max(range(len(h)), key=lambda c: h[c]) for h in logits] for logits in goldens["zip"]]
    goldens["pair_f1"] = f1_table(classes, classes[::-1])
    rng = np.random.default_rng(18)
    rows_g, rows_r = rng.integers(0, 4, (60, 14)), rng.integers(0, 4, (60, 14))
    rows_g[:, 13] %= 2
    rows_r[:, 13] %= 2
    goldens["random_rows"] = {"generated": rows_g.tolist(), "reference": rows_r.tolist(), "f1": f1_table(rows_g.tolist(), rows_r.tolist())}
    with open("Goldens/checkpoint-goldens.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(goldens, f, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
