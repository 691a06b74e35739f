#!/usr/bin/python3
"""A miniature of the official LLaVA-Rad release, in its exact file formats, for the import-weights test.

    /usr/bin/python3 tests/LlavaRad.Model.Tests/Golden/make_release_fixture.py

Writes Golden/release/:
  vicuna/config.json, vicuna/pytorch_model-0000{1,2}-of-00002.bin (+ .index.json)   torch.save'd fp16 shards
  llava-rad/adapter_config.json, adapter_model.bin      PEFT LoRA (r, lora_alpha), base_model.model.* keys
  llava-rad/non_lora_trainables.bin                     projector under base_model.model.model.mm_projector.*
  llava-rad/config.json                                 LLaVA settings (mm_vision_select_layer, ...)
  llava-rad/biomedclipcxr_518_checkpoint.pt             open_clip training checkpoint: {"epoch", "name", "state_dict"}
  expected.safetensors                                   the canonical tensors, LoRA merged here in fp32
"""
import json
import os
import struct

import torch

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "release")
H, FFN, LAYERS, HEADS, VOCAB = 16, 40, 2, 4, 400
VD, VFFN, BLOCKS, PATCH, IMAGE = 16, 32, 3, 4, 8
R, ALPHA = 4, 8


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    g = torch.Generator().manual_seed(2024)
    rnd = lambda *s: torch.randn(*s, generator=g)
    os.makedirs(f"{HERE}/vicuna", exist_ok=True)
    os.makedirs(f"{HERE}/llava-rad", exist_ok=True)
    expected = {}

    # Vicuna (HF LlamaForCausalLM state dict, fp16, with the derived rotary buffers the importer must drop)
    vicuna = {"model.embed_tokens.weight": rnd(VOCAB, H), "model.norm.weight": 1 + 0.1 * rnd(H), "lm_head.weight": rnd(VOCAB, H)}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        for m in ["q", "k", "v", "o"]:
            vicuna[p + f"self_attn.{m}_proj.weight"] = rnd(H, H)
        vicuna[p + "mlp.gate_proj.weight"], vicuna[p + "mlp.up_proj.weight"] = rnd(FFN, H), rnd(FFN, H)
        vicuna[p + "mlp.down_proj.weight"] = rnd(H, FFN)
        vicuna[p + "input_layernorm.weight"], vicuna[p + "post_attention_layernorm.weight"] = 1 + 0.1 * rnd(H), 1 + 0.1 * rnd(H)
    vicuna = {k: v.half() for k, v in vicuna.items()}
    names = sorted(vicuna)
    shards = {names[i]: f"pytorch_model-0000{1 if i < len(names) // 2 else 2}-of-00002.bin" for i in range(len(names))}
    for shard in sorted(set(shards.values())):
        part = {k: v for k, v in vicuna.items() if shards[k] == shard}
        if shard.startswith("pytorch_model-00001"):
            part["model.layers.0.self_attn.rotary_emb.inv_freq"] = torch.rand(H // HEADS // 2, generator=g)
        torch.save(part, f"{HERE}/vicuna/{shard}")
    json.dump({"metadata": {"total_size": 0}, "weight_map": shards}, open(f"{HERE}/vicuna/pytorch_model.bin.index.json", "w"), indent=1)
    json.dump({"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": VOCAB, "hidden_size": H,
               "intermediate_size": FFN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
               "max_position_embeddings": 512, "rms_norm_eps": 1e-5, "bos_token_id": 1, "eos_token_id": 2,
               "pad_token_id": 0, "torch_dtype": "float16", "tie_word_embeddings": False},
              open(f"{HERE}/vicuna/config.json", "w"), indent=1)

    # LoRA adapter on every linear layer of the LLM; the merge below is the reference: W + (alpha / r) * B @ A in fp32
    adapter = {}
    for name, w in vicuna.items():
        if not name.endswith("_proj.weight"):
            expected[name] = w.float()
            continue
        a, b = 0.1 * rnd(R, w.shape[1]), 0.1 * rnd(w.shape[0], R)
        stem = "base_model.model." + name[: -len(".weight")]
        adapter[stem + ".lora_A.weight"], adapter[stem + ".lora_B.weight"] = a.half(), b.half()
        expected[name] = w.float() + (ALPHA / R) * (b.half().float() @ a.half().float())
    torch.save(adapter, f"{HERE}/llava-rad/adapter_model.bin")
    json.dump({"peft_type": "LORA", "base_model_name_or_path": "lmsys/vicuna-7b-v1.5", "r": R, "lora_alpha": ALPHA,
               "lora_dropout": 0.05, "bias": "none", "inference_mode": True,
               "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]},
              open(f"{HERE}/llava-rad/adapter_config.json", "w"), indent=1)

    # Projector (bf16 as trained with --bf16)
    projector = {"0.weight": rnd(H, VD), "0.bias": rnd(H), "2.weight": rnd(H, H), "2.bias": rnd(H)}
    torch.save({f"base_model.model.model.mm_projector.{k}": v.bfloat16() for k, v in projector.items()}, f"{HERE}/llava-rad/non_lora_trainables.bin")
    expected.update({f"model.mm_projector.{k}": v.bfloat16().float() for k, v in projector.items()})
    json.dump({"model_type": "llava", "mm_projector_type": "mlp2x_gelu", "mm_vision_select_layer": -2,
               "mm_vision_select_feature": "patch", "mm_hidden_size": VD, "mm_vision_tower": "biomedclip_cxr_518",
               "image_aspect_ratio": "square"}, open(f"{HERE}/llava-rad/config.json", "w"), indent=1)

    # open_clip checkpoint: image trunk + head + a text tower, under module.*, fp32
    n = (IMAGE // PATCH) ** 2
    trunk = {"cls_token": rnd(1, 1, VD), "pos_embed": rnd(1, 1 + n, VD), "patch_embed.proj.weight": rnd(VD, 3, PATCH, PATCH),
             "patch_embed.proj.bias": rnd(VD), "norm.weight": rnd(VD), "norm.bias": rnd(VD)}
    for i in range(BLOCKS):
        b = f"blocks.{i}."
        trunk.update({b + "norm1.weight": rnd(VD), b + "norm1.bias": rnd(VD), b + "attn.qkv.weight": rnd(3 * VD, VD),
                      b + "attn.qkv.bias": rnd(3 * VD), b + "attn.proj.weight": rnd(VD, VD), b + "attn.proj.bias": rnd(VD),
                      b + "ls1.gamma": rnd(VD), b + "norm2.weight": rnd(VD), b + "norm2.bias": rnd(VD),
                      b + "mlp.fc1.weight": rnd(VFFN, VD), b + "mlp.fc1.bias": rnd(VFFN), b + "mlp.fc2.weight": rnd(VD, VFFN),
                      b + "mlp.fc2.bias": rnd(VD), b + "ls2.gamma": rnd(VD)})
    state = {f"module.visual.trunk.{k}": v for k, v in trunk.items()}
    state["module.visual.head.proj.weight"] = rnd(8, VD)
    state["module.text.transformer.embeddings.word_embeddings.weight"] = rnd(10, 8)
    state["module.logit_scale"] = torch.tensor(4.6)
    torch.save({"epoch": 3, "name": "biomedclipcxr_518", "state_dict": state}, f"{HERE}/llava-rad/biomedclipcxr_518_checkpoint.pt")
    expected.update({f"model.vision_tower.{k}": v for k, v in trunk.items()})

    save_safetensors(f"{HERE}/expected.safetensors", expected)
    print("release fixture:", len(expected), "canonical tensors")


if __name__ == "__main__":
    main()
