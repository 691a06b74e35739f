#!/usr/bin/python3
"""PyTorch baseline for the `chexbert` benchmark (Debian python3-torch), and the writer of its model.

    /usr/bin/python3 torch_chexbert.py write DIR             # BERT-base-shaped random chexbert.pth (zip) + vocab.txt
    /usr/bin/python3 torch_chexbert.py run DIR IDS_JSON THREADS ROUNDS BATCH

run: the same padded batches (ids from our tokenizer, [PAD]=0 + attention mask) through a plain-torch CheXbert
forward; prints one JSON line: best seconds per pass, reports/s, torch version, and the argmax classes.
"""
import json
import math
import sys
import time

import torch


def write(folder):
    g = torch.Generator().manual_seed(5)
    hidden, layers, inter, vocab, positions = 768, 12, 3072, 30522, 512
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list("abcdefghijklmnopqrstuvwxyz0123456789.,;:()-/")
    tokens += ["##" + c for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
    tokens += "no pleural effusion pneumothorax heart size is normal the lungs are clear mild cardiomegaly edema " \
              "atelectasis tube line unchanged there left right lower lobe opacity consolidation of and with".split()
    tokens += ["w%d" % i for i in range(vocab - len(tokens))]
    with open(folder + "/vocab.txt", "w") as f:
        f.write("".join(t + "\n" for t in tokens))
    m = lambda *s: torch.randn(*s, generator=g) * 0.02  # noqa: E731
    sd = {"module.bert.embeddings.word_embeddings.weight": m(vocab, hidden),
          "module.bert.embeddings.position_embeddings.weight": m(positions, hidden),
          "module.bert.embeddings.token_type_embeddings.weight": m(2, hidden),
          "module.bert.embeddings.LayerNorm.weight": torch.ones(hidden), "module.bert.embeddings.LayerNorm.bias": m(hidden)}
    for i in range(layers):
        p = "module.bert.encoder.layer.%d." % i
        for name, r, c in [("attention.self.query", hidden, hidden), ("attention.self.key", hidden, hidden),
                           ("attention.self.value", hidden, hidden), ("attention.output.dense", hidden, hidden),
                           ("intermediate.dense", inter, hidden), ("output.dense", hidden, inter)]:
            sd[p + name + ".weight"], sd[p + name + ".bias"] = m(r, c), m(r)
        for n in ("attention.output.LayerNorm", "output.LayerNorm"):
            sd[p + n + ".weight"], sd[p + n + ".bias"] = torch.ones(hidden), m(hidden)
    for j, c in enumerate([4] * 13 + [2]):
        sd["module.linear_heads.%d.weight" % j], sd["module.linear_heads.%d.bias" % j] = m(c, hidden) * 50, m(c)
    torch.save({"epoch": 1, "model_state_dict": sd}, folder + "/chexbert.pth")


def forward(sd, ids, mask):
    w = lambda k: sd["module." + k]  # noqa: E731
    F = torch.nn.functional
    b, s = ids.shape
    x = w("bert.embeddings.word_embeddings.weight")[ids] + w("bert.embeddings.position_embeddings.weight")[:s] \
        + w("bert.embeddings.token_type_embeddings.weight")[0]
    ln = lambda t, p: F.layer_norm(t, t.shape[-1:], w(p + ".weight"), w(p + ".bias"), 1e-12)  # noqa: E731
    x = ln(x, "bert.embeddings.LayerNorm")
    bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
    i = 0
    while "module.bert.encoder.layer.%d.attention.self.query.weight" % i in sd:
        p = "bert.encoder.layer.%d." % i
        lin = lambda t, n: F.linear(t, w(p + n + ".weight"), w(p + n + ".bias"))  # noqa: E731
        h = x.shape[-1] // 64
        q, k, v = (lin(x, "attention.self." + n).view(b, s, h, 64).transpose(1, 2) for n in ("query", "key", "value"))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(64) + bias, -1) @ v
        a = ln(lin(a.transpose(1, 2).reshape(b, s, -1), "attention.output.dense") + x, p + "attention.output.LayerNorm")
        x = ln(lin(F.gelu(lin(a, "intermediate.dense")), "output.dense") + a, p + "output.LayerNorm")
        i += 1
    cls = x[:, 0]
    return [F.linear(cls, w("linear_heads.%d.weight" % j), w("linear_heads.%d.bias" % j)).argmax(-1) for j in range(14)]


def run(folder, ids_json, threads, rounds, batch):
    torch.set_num_threads(threads)
    sd = torch.load(folder + "/chexbert.pth")["model_state_dict"]
    reports = json.load(open(ids_json))
    best, classes = float("inf"), []
    with torch.no_grad():
        for _ in range(rounds):
            start, classes = time.perf_counter(), []
            for i in range(0, len(reports), batch):
                rows = reports[i:i + batch]
                n = max(len(r) for r in rows)
                ids = torch.tensor([r + [0] * (n - len(r)) for r in rows])
                mask = torch.tensor([[1] * len(r) + [0] * (n - len(r)) for r in rows])
                heads = forward(sd, ids, mask)
                classes += [[int(h[r]) for h in heads] for r in range(len(rows))]
            best = min(best, time.perf_counter() - start)
    print(json.dumps({"seconds": best, "reports_per_s": len(reports) / best, "torch": torch.__version__, "classes": classes}))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
