#!/usr/bin/python3
"""Golden data for LlavaRad.Model.Tests, from an independent implementation.

Run with Debian's system python (python3-torch 1.13, python3-sentencepiece, python3-numpy, python3-pil):

    /usr/bin/python3 tests/LlavaRad.Model.Tests/Golden/make_golden.py [path/to/llama-tokenizer.model]

Writes, next to this script:
  tiny-model/config.json, tiny-model/model.safetensors   random tiny LLaVA-Rad in the canonical format
  model-reference.safetensors, model-reference.json      vision features, projector output, logits, greedy tokens
  preprocess/*.pgm, preprocess/normalized.safetensors    PIL bicubic resize + center crop, /255, mean/std
  tokenizer-stress.jsonl                                  sentencepiece ids of generated stress strings

The model reference is plain PyTorch written from the LLaVA / timm / HF-LLaMA definitions: explicit softmax
attention (no SDPA), no KV cache (every step recomputes the whole sequence), so it shares nothing with the C# code.
"""
import json
import math
import os
import random
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE_TOKEN_INDEX = -200

CONFIG = {
    "model_type": "llava_rad", "model_id": "golden-tiny", "model_version": "0", "torch_dtype": "float32",
    "text_config": {"vocab_size": 256, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                    "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
                    "max_position_embeddings": 256, "bos_token_id": 1, "eos_token_id": 2},
    "vision_config": {"image_size": 32, "patch_size": 8, "hidden_size": 32, "num_hidden_layers": 3,
                      "num_attention_heads": 4, "intermediate_size": 64, "layer_norm_eps": 1e-6},
    "mm_projector_type": "mlp2x_gelu", "mm_vision_select_layer": -2, "mm_vision_select_feature": "patch",
    "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
}


# ---------------------------------------------------------------- safetensors (format spec: JSON header + LE data)

def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------- random tiny weights

def make_weights(seed):
    g = torch.Generator().manual_seed(seed)
    t, v = CONFIG["text_config"], CONFIG["vision_config"]
    w = {}

    def rand(*shape, scale):
        return torch.randn(*shape, generator=g) * scale

    def linear(name, out_f, in_f, bias=False):
        w[name + ".weight"] = rand(out_f, in_f, scale=1 / math.sqrt(in_f))
        if bias:
            w[name + ".bias"] = rand(out_f, scale=0.1)

    def norm(name, n, bias=False):  # scales near 1 but not 1, so a forgotten scale shows
        w[name + ".weight"] = 1 + rand(n, scale=0.1)
        if bias:
            w[name + ".bias"] = rand(n, scale=0.1)

    h, kv = t["hidden_size"], t["num_key_value_heads"] * (t["hidden_size"] // t["num_attention_heads"])
    w["model.embed_tokens.weight"] = rand(t["vocab_size"], h, scale=1.0)
    for i in range(t["num_hidden_layers"]):
        p = f"model.layers.{i}."
        linear(p + "self_attn.q_proj", h, h)
        linear(p + "self_attn.k_proj", kv, h)
        linear(p + "self_attn.v_proj", kv, h)
        linear(p + "self_attn.o_proj", h, h)
        linear(p + "mlp.gate_proj", t["intermediate_size"], h)
        linear(p + "mlp.up_proj", t["intermediate_size"], h)
        linear(p + "mlp.down_proj", h, t["intermediate_size"])
        norm(p + "input_layernorm", h)
        norm(p + "post_attention_layernorm", h)
    norm("model.norm", h)
    w["lm_head.weight"] = rand(t["vocab_size"], h, scale=3 / math.sqrt(h))  # peaked logits: clear greedy margins
    linear("model.mm_projector.0", h, v["hidden_size"], bias=True)
    linear("model.mm_projector.2", h, h, bias=True)

    d, p = v["hidden_size"], v["patch_size"]
    n = (v["image_size"] // p) ** 2
    tw = "model.vision_tower."
    w[tw + "cls_token"] = rand(1, 1, d, scale=0.5)
    w[tw + "pos_embed"] = rand(1, 1 + n, d, scale=0.5)
    w[tw + "patch_embed.proj.weight"] = rand(d, 3, p, p, scale=1 / math.sqrt(3 * p * p))
    w[tw + "patch_embed.proj.bias"] = rand(d, scale=0.1)
    for i in range(v["num_hidden_layers"]):
        b = f"{tw}blocks.{i}."
        norm(b + "norm1", d, bias=True)
        linear(b + "attn.qkv", 3 * d, d, bias=True)
        linear(b + "attn.proj", d, d, bias=True)
        w[b + "ls1.gamma"] = 0.5 + rand(d, scale=0.1)
        norm(b + "norm2", d, bias=True)
        linear(b + "mlp.fc1", v["intermediate_size"], d, bias=True)
        linear(b + "mlp.fc2", d, v["intermediate_size"], bias=True)
        w[b + "ls2.gamma"] = 0.5 + rand(d, scale=0.1)
    norm(tw + "norm", d, bias=True)
    return w


# ---------------------------------------------------------------- reference model (timm ViT, LLaVA, HF LLaMA)

def vision_features(w, pixels):
    v = CONFIG["vision_config"]
    tw = "model.vision_tower."
    x = F.conv2d(pixels, w[tw + "patch_embed.proj.weight"], w[tw + "patch_embed.proj.bias"], stride=v["patch_size"])
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([w[tw + "cls_token"].expand(x.shape[0], -1, -1), x], dim=1) + w[tw + "pos_embed"]
    hidden_states = [x]
    heads, eps = v["num_attention_heads"], v["layer_norm_eps"]
    for i in range(v["num_hidden_layers"]):
        b = f"{tw}blocks.{i}."
        B, N, C = x.shape
        y = F.layer_norm(x, (C,), w[b + "norm1.weight"], w[b + "norm1.bias"], eps)
        qkv = F.linear(y, w[b + "attn.qkv.weight"], w[b + "attn.qkv.bias"]).reshape(B, N, 3, heads, C // heads)
        q, k, vv = qkv.permute(2, 0, 3, 1, 4)
        att = ((q * (C // heads) ** -0.5) @ k.transpose(-2, -1)).softmax(-1)
        y = (att @ vv).transpose(1, 2).reshape(B, N, C)
        x = x + w[b + "ls1.gamma"] * F.linear(y, w[b + "attn.proj.weight"], w[b + "attn.proj.bias"])
        y = F.layer_norm(x, (C,), w[b + "norm2.weight"], w[b + "norm2.bias"], eps)
        y = F.linear(F.gelu(F.linear(y, w[b + "mlp.fc1.weight"], w[b + "mlp.fc1.bias"])),
                     w[b + "mlp.fc2.weight"], w[b + "mlp.fc2.bias"])
        x = x + w[b + "ls2.gamma"] * y
        hidden_states.append(x)
    return hidden_states[CONFIG["mm_vision_select_layer"]][:, 1:]


def project(w, features):
    x = F.linear(features, w["model.mm_projector.0.weight"], w["model.mm_projector.0.bias"])
    return F.linear(F.gelu(x), w["model.mm_projector.2.weight"], w["model.mm_projector.2.bias"])


def rms_norm(x, weight, eps):
    x32 = x.to(torch.float32)
    return weight * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def llama_logits(w, embeds):
    t = CONFIG["text_config"]
    B, L, H = embeds.shape
    heads, kv_heads = t["num_attention_heads"], t["num_key_value_heads"]
    hd = H // heads
    inv_freq = 1.0 / (t["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
    freqs = torch.outer(torch.arange(L).float(), inv_freq)
    cos, sin = torch.cat([freqs, freqs], -1).cos(), torch.cat([freqs, freqs], -1).sin()
    causal = torch.full((L, L), float("-inf")).triu(1)
    x = embeds
    for i in range(t["num_hidden_layers"]):
        p = f"model.layers.{i}."
        y = rms_norm(x, w[p + "input_layernorm.weight"], t["rms_norm_eps"])
        q = F.linear(y, w[p + "self_attn.q_proj.weight"]).view(B, L, heads, hd).transpose(1, 2)
        k = F.linear(y, w[p + "self_attn.k_proj.weight"]).view(B, L, kv_heads, hd).transpose(1, 2)
        v = F.linear(y, w[p + "self_attn.v_proj.weight"]).view(B, L, kv_heads, hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(heads // kv_heads, dim=1), v.repeat_interleave(heads // kv_heads, dim=1)
        att = (q @ k.transpose(2, 3) / math.sqrt(hd) + causal).softmax(-1, dtype=torch.float32)
        y = (att @ v).transpose(1, 2).reshape(B, L, H)
        x = x + F.linear(y, w[p + "self_attn.o_proj.weight"])
        y = rms_norm(x, w[p + "post_attention_layernorm.weight"], t["rms_norm_eps"])
        y = F.linear(F.silu(F.linear(y, w[p + "mlp.gate_proj.weight"])) * F.linear(y, w[p + "mlp.up_proj.weight"]),
                     w[p + "mlp.down_proj.weight"])
        x = x + y
    x = rms_norm(x, w["model.norm.weight"], t["rms_norm_eps"])
    return F.linear(x, w["lm_head.weight"])


def splice(w, ids, image_rows):
    """LLaVA prepare_inputs_labels_for_multimodal: the -200 slot becomes the image rows."""
    parts = []
    for token in ids:
        if token == IMAGE_TOKEN_INDEX:
            parts.append(image_rows)
        else:
            parts.append(w["model.embed_tokens.weight"][token].unsqueeze(0))
    return torch.cat(parts, 0).unsqueeze(0)


def greedy(w, ids, image_rows, steps):
    tokens, logprobs, margins, first_logits = [], [], [], None
    for _ in range(steps):
        logits = llama_logits(w, splice(w, ids + tokens, image_rows))[0, -1]
        if first_logits is None:
            first_logits = logits.clone()
        top2 = logits.topk(2).values
        margins.append(float(top2[0] - top2[1]))
        token = int(logits.argmax())
        logprobs.append(float(logits.log_softmax(-1)[token]))
        tokens.append(token)
    return tokens, logprobs, min(margins), first_logits


def make_model_golden():
    torch.manual_seed(0)
    w = make_weights(seed=1234)
    out = os.path.join(HERE, "tiny-model")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    save_safetensors(os.path.join(out, "model.safetensors"), w)

    g = torch.Generator().manual_seed(99)
    size = CONFIG["vision_config"]["image_size"]
    pixels = torch.randn(2, 3, size, size, generator=g)
    with torch.no_grad():
        features = vision_features(w, pixels)
        projected = project(w, features)
        prompts = [[1, 45, 67, 89, 12, IMAGE_TOKEN_INDEX, 33, 13, 150, 151, 200],
                   [1, 99, IMAGE_TOKEN_INDEX, 13, 77]]
        steps = 40
        runs = []
        for b, ids in enumerate(prompts):
            tokens, logprobs, margin, first = greedy(w, ids, projected[b], steps)
            eos = CONFIG["text_config"]["eos_token_id"]
            if eos in tokens:
                raise SystemExit(f"prompt {b}: EOS inside the first {steps} greedy steps; pick another seed")
            runs.append({"prompt_ids": ids, "greedy_tokens": tokens, "greedy_logprobs": logprobs,
                         "min_top2_margin": margin})
            tensors_first = first
            if b == 0:
                first0 = tensors_first
                prefill0 = llama_logits(w, splice(w, ids, projected[0]))[0]
    save_safetensors(os.path.join(HERE, "model-reference.safetensors"), {
        "pixels": pixels, "vision_features": features, "projector_output": projected,
        "first_step_logits": first0.unsqueeze(0), "prefill_logits": prefill0,
    })
    with open(os.path.join(HERE, "model-reference.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "runs": runs}, f, indent=1)
    print("model golden: min top-2 logit margins", [round(r["min_top2_margin"], 4) for r in runs])


# ---------------------------------------------------------------- preprocessing (open_clip eval transform via PIL)

def write_pgm(path, array):
    h, w = array.shape
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h))
        f.write(array.astype(np.uint8).tobytes())


def resize_short_side(img, size):
    """torchvision Resize(size) on a PIL image: short side -> size, long side truncated, PIL BICUBIC."""
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return img.resize((new_w, new_h), Image.BICUBIC)


def center_crop(img, size):
    w, h = img.size
    top, left = int(round((h - size) / 2.0)), int(round((w - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def make_preprocess_golden():
    out = os.path.join(HERE, "preprocess")
    os.makedirs(out, exist_ok=True)
    rng = np.random.RandomState(7)
    # (width, height, target): upscale, downscale with antialias, odd crop offsets (x.5 -> round half to even),
    # already the right size, and the real model's 518 from a portrait radiograph-like shape.
    cases = [(40, 30, 32), (331, 250, 96), (97, 200, 96), (37, 80, 37), (101, 99, 64), (600, 700, 518), (64, 64, 64)]
    manifest = []
    normalized = {}
    for i, (w, h, size) in enumerate(cases):
        yy, xx = np.mgrid[0:h, 0:w]
        smooth = 128 + 100 * np.sin(xx / 7.0) * np.cos(yy / 11.0)
        gray = np.clip(smooth + rng.normal(0, 30, (h, w)), 0, 255).astype(np.uint8)
        gray[: h // 5, : w // 5] = 255  # a hard edge: bicubic overshoot must clip
        gray[-h // 6:, -w // 6:] = 0
        name = f"case{i}-{w}x{h}-to-{size}"
        write_pgm(os.path.join(out, name + ".input.pgm"), gray)
        rgb = Image.fromarray(gray, "L").convert("RGB")
        cropped = center_crop(resize_short_side(rgb, size), size)
        arr = np.asarray(cropped)
        assert (arr[..., 0] == arr[..., 1]).all() and (arr[..., 0] == arr[..., 2]).all()
        write_pgm(os.path.join(out, name + ".expected.pgm"), arr[..., 0])
        manifest.append({"name": name, "size": size})
        if size <= 96:
            x = torch.from_numpy(arr.copy()).permute(2, 0, 1).float().div(255)  # ToTensor
            mean = torch.tensor(CONFIG["image_mean"]).view(3, 1, 1)
            std = torch.tensor(CONFIG["image_std"]).view(3, 1, 1)
            normalized[name] = ((x - mean) / std).unsqueeze(0)  # Normalize
    save_safetensors(os.path.join(out, "normalized.safetensors"), normalized)
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("preprocess golden:", len(cases), "cases")


# ---------------------------------------------------------------- tokenizer stress strings (sentencepiece)

def stress_strings(count):
    rng = random.Random(31)
    words = ["the", "lungs", "are", "clear", "no", "pleural", "effusion", "pneumothorax", "heart", "size", "normal",
             "___", "__", "____", "_", "year-old", "male", "female", "with", "cough", "PA", "AP", "lateral", "views",
             "of", "chest", "provided", "ET", "tube", "5.2", "cm", "1998", "12/03", "3rd", "COPD", "s/p", "CABG",
             "(right)", "[left]", "mild", "opacity", "bibasilar", "atelectasis", "ASSISTANT:", "USER:", "<image>",
             "<s>", "</s>", "<unk>", "ïmage", "résumé", "naïve", "°C", "µg", "肺", "胸部", "X線", "😀", "🫁", "⚕️",
             "e\u0301", "\u00e9", "\u200b", "\u00a0", "Ω", "ß", "İ", "aaa", "....", "---", "!!!", "??", "==", "\\", "\"q\""]
    seps = [" ", " ", " ", "  ", "   ", "    ", "\n", "\n\n", "\t", "\r\n", " \n ", "", ",", ". ", "\n "]
    out = ["", " ", "  ", "   ", "\n", "\t", "a", " a", "  two leading spaces", "multiple   internal   spaces",
           "___-year-old male", "trailing ", "x" * 50, "1234567890", "😀", "A\u0000B"]
    while len(out) < count:
        n = rng.randint(1, 14)
        s = "".join(rng.choice(words) + rng.choice(seps) for _ in range(n))
        if rng.random() < 0.2:
            s = rng.choice([" ", "  ", "\n", "\t", "   "]) + s
        if rng.random() < 0.1:
            s = s + rng.choice([" ", "  ", "\n"])
        if rng.random() < 0.1:
            s = "".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 8)))
        out.append(s)
    return out


def make_tokenizer_golden(model_path):
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_file=model_path)
    with open(os.path.join(HERE, "tokenizer-stress.jsonl"), "w", encoding="utf-8") as f:
        for s in stress_strings(3000):
            ids = sp.encode(s)
            f.write(json.dumps({"text": s, "ids": ids, "decoded": sp.decode(ids)}, ensure_ascii=False) + "\n")
    print("tokenizer golden: 3000 strings, sentencepiece", spm.__version__)


if __name__ == "__main__":
    tokenizer = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/data/tokenizer/llama-tokenizer.model")
    make_model_golden()
    make_preprocess_golden()
    make_tokenizer_golden(tokenizer)
