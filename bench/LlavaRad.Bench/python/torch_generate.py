#!/usr/bin/python3
"""PyTorch baseline for the `generate` benchmark (Debian python3-torch): the same canonical model directory, the same
prompt ids and pixels, vision tower + projector + prefill, then greedy decoding with a KV cache.

    /usr/bin/python3 torch_generate.py MODEL_DIR INPUT_JSON THREADS ROUNDS

INPUT_JSON: {"prompt_ids": [...], "pixels_file": "raw little-endian float32 [1,3,S,S]", "new_tokens": N}.
Prints one JSON line: best prefill (vision + projector + prompt forward) seconds, best decode tokens/s, tokens.
"""
import json
import math
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32", "benchmark models are float32"
        b, end = e["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:end], dtype="<f4").copy()).view(e["shape"])
    return out


class Model:
    def __init__(self, directory):
        self.cfg = json.load(open(f"{directory}/config.json"))
        self.w = load_safetensors(f"{directory}/model.safetensors")
        t = self.cfg["text_config"]
        hd = t["hidden_size"] // t["num_attention_heads"]
        inv = 1.0 / (t["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
        f = torch.outer(torch.arange(t["max_position_embeddings"]).float(), inv)
        self.cos, self.sin = torch.cat([f, f], -1).cos(), torch.cat([f, f], -1).sin()

    def image_rows(self, pixels):
        v, w, tw = self.cfg["vision_config"], self.w, "model.vision_tower."
        x = F.conv2d(pixels, w[tw + "patch_embed.proj.weight"], w[tw + "patch_embed.proj.bias"], stride=v["patch_size"])
        x = torch.cat([w[tw + "cls_token"], x.flatten(2).transpose(1, 2)], 1) + w[tw + "pos_embed"]
        C, H = v["hidden_size"], v["num_attention_heads"]
        for i in range(v["num_hidden_layers"] + 1 + self.cfg["mm_vision_select_layer"]):
            b = f"{tw}blocks.{i}."
            y = F.layer_norm(x, (C,), w[b + "norm1.weight"], w[b + "norm1.bias"], v["layer_norm_eps"])
            q, k, vv = F.linear(y, w[b + "attn.qkv.weight"], w[b + "attn.qkv.bias"]).view(1, -1, 3, H, C // H).permute(2, 0, 3, 1, 4)
            y = ((q @ k.transpose(-2, -1)) * (C // H) ** -0.5).softmax(-1) @ vv
            x = x + w[b + "ls1.gamma"] * F.linear(y.transpose(1, 2).reshape(1, -1, C), w[b + "attn.proj.weight"], w[b + "attn.proj.bias"])
            y = F.layer_norm(x, (C,), w[b + "norm2.weight"], w[b + "norm2.bias"], v["layer_norm_eps"])
            x = x + w[b + "ls2.gamma"] * F.linear(F.gelu(F.linear(y, w[b + "mlp.fc1.weight"], w[b + "mlp.fc1.bias"])), w[b + "mlp.fc2.weight"], w[b + "mlp.fc2.bias"])
        x = F.gelu(F.linear(x[:, 1:], w["model.mm_projector.0.weight"], w["model.mm_projector.0.bias"]))
        return F.linear(x, w["model.mm_projector.2.weight"], w["model.mm_projector.2.bias"])[0]

    def forward(self, x, start, cache):
        """x: [1, T, D] new positions after `start` cached ones; cache: per-layer [k, v] buffers. Returns last logits."""
        t, w = self.cfg["text_config"], self.w
        T, D = x.shape[1], x.shape[2]
        nh, nkv = t["num_attention_heads"], t["num_key_value_heads"]
        hd = D // nh
        cos, sin = self.cos[start:start + T], self.sin[start:start + T]
        mask = torch.full((T, start + T), float("-inf")).triu(start + 1) if T > 1 else None
        for i in range(t["num_hidden_layers"]):
            p = f"model.layers.{i}."
            y = rms(x, w[p + "input_layernorm.weight"], t["rms_norm_eps"])
            q = F.linear(y, w[p + "self_attn.q_proj.weight"]).view(1, T, nh, hd).transpose(1, 2)
            k = F.linear(y, w[p + "self_attn.k_proj.weight"]).view(1, T, nkv, hd).transpose(1, 2)
            v = F.linear(y, w[p + "self_attn.v_proj.weight"]).view(1, T, nkv, hd).transpose(1, 2)
            q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
            if len(cache) <= i:  # preallocated like ours: writing in place beats concatenating every step
                cache.append([torch.zeros(1, nkv, t["max_position_embeddings"], hd) for _ in range(2)])
            cache[i][0][:, :, start:start + T], cache[i][1][:, :, start:start + T] = k, v
            k, v = cache[i][0][:, :, :start + T], cache[i][1][:, :, :start + T]
            if nh != nkv:
                k, v = k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1)
            s = q @ k.transpose(2, 3) / math.sqrt(hd)
            if mask is not None:
                s = s + mask
            y = (s.softmax(-1) @ v).transpose(1, 2).reshape(1, T, D)
            x = x + F.linear(y, w[p + "self_attn.o_proj.weight"])
            y = rms(x, w[p + "post_attention_layernorm.weight"], t["rms_norm_eps"])
            x = x + F.linear(F.silu(F.linear(y, w[p + "mlp.gate_proj.weight"])) * F.linear(y, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
        return F.linear(rms(x[:, -1], w["model.norm.weight"], t["rms_norm_eps"]), w["lm_head.weight"])[0]


def rms(x, weight, eps):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rot(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


def main():
    directory, spec_path, threads, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    # Random small weights produce denormal floats; libtorch's MKL/oneDNN kernels flush them, the generic-BLAS
    # Debian build would crawl through them (2-3x slower prefill measured), so flush here too for a fair baseline.
    torch.set_flush_denormal(True)
    spec = json.load(open(spec_path))
    model = Model(directory)
    size = model.cfg["vision_config"]["image_size"]
    pixels = torch.from_numpy(np.fromfile(spec["pixels_file"], dtype="<f4").copy()).view(1, 3, size, size)
    ids, emb = spec["prompt_ids"], model.w["model.embed_tokens.weight"]
    best_prefill, best_decode, tokens = math.inf, math.inf, []
    with torch.no_grad():
        for _ in range(rounds):
            t0 = time.perf_counter()
            slot = ids.index(-200)
            x = torch.cat([emb[ids[:slot]], model.image_rows(pixels), emb[ids[slot + 1:]]]).unsqueeze(0)
            cache = []
            logits = model.forward(x, 0, cache)
            t1 = time.perf_counter()
            tokens, pos = [int(logits.argmax())], x.shape[1]
            for _ in range(spec["new_tokens"] - 1):
                logits = model.forward(emb[tokens[-1]].view(1, 1, -1), pos, cache)
                pos += 1
                tokens.append(int(logits.argmax()))
            t2 = time.perf_counter()
            best_prefill, best_decode = min(best_prefill, t1 - t0), min(best_decode, t2 - t1)
    print(json.dumps({"prefill_s": best_prefill, "decode_tokens_per_s": (spec["new_tokens"] - 1) / best_decode,
                      "tokens": tokens, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
