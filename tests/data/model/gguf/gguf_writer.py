"""A GGUF writer and an independent dequantizer, written for the tests from
the GGUF format description (llama.cpp's docs/gguf.md and the block layouts of
ggml's quantized types); no `gguf` package is used (Debian has none here), and
nothing is shared with the C++ reader.

File: "GGUF", u32 version, u64 tensor count, u64 metadata count, metadata
(string key, u32 type, value), tensor infos (string name, u32 n_dims, u64 dims
fastest first, u32 type, u64 offset from the data start), padding to the
alignment, then the data. Strings are u64 length + UTF-8 bytes.

Quantized tensors are random blocks: random bytes for the packed integers and
scales, with the half-precision super-scales set so the values have about the
size a trained layer's weights have (1 / sqrt(row length)). Any such block is
a valid block; `dequantize` gives the values it stands for, in float64.
"""
import struct

import numpy as np

VALUE_TYPES = {"u8": 0, "i8": 1, "u16": 2, "i16": 3, "u32": 4, "i32": 5, "f32": 6, "bool": 7,
               "str": 8, "arr": 9, "u64": 10, "i64": 11, "f64": 12}
SCALAR_FORMATS = {"u8": "<B", "i8": "<b", "u16": "<H", "i16": "<h", "u32": "<I", "i32": "<i",
                  "f32": "<f", "bool": "<?", "u64": "<Q", "i64": "<q", "f64": "<d"}

# name: (ggml type id, values per block, bytes per block)
TYPES = {"F32": (0, 1, 4), "F16": (1, 1, 2), "Q4_0": (2, 32, 18), "Q4_1": (3, 32, 20),
         "Q5_0": (6, 32, 22), "Q5_1": (7, 32, 24), "Q8_0": (8, 32, 34), "Q2_K": (10, 256, 84),
         "Q3_K": (11, 256, 110), "Q4_K": (12, 256, 144), "Q5_K": (13, 256, 176),
         "Q6_K": (14, 256, 210), "BF16": (30, 1, 2)}


def _string(s):
    b = s.encode("utf-8") if isinstance(s, str) else s
    return struct.pack("<Q", len(b)) + b


def _value(kind, v):
    if kind == "str":
        return _string(v)
    if kind.startswith("arr:"):
        elem = kind[4:]
        out = struct.pack("<IQ", VALUE_TYPES[elem], len(v))
        return out + b"".join(_value(elem, x) for x in v)
    return struct.pack(SCALAR_FORMATS[kind], v)


def write_gguf(path, metadata, tensors, alignment=32, version=3, order=None):
    """metadata: list of (key, kind, value), kind "u32", "f32", "str", "bool",
    "arr:str", "arr:f32", "arr:i32", ...; tensors: list of (name, dims
    fastest first, type name, raw bytes). Data is laid out in `order` (a
    permutation of the tensors; default: reversed) so a reader cannot lean
    on header order."""
    head = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata))
    for key, kind, value in metadata:
        head += _string(key) + struct.pack("<I", VALUE_TYPES["arr" if kind.startswith("arr:") else kind])
        head += _value(kind, value)
    order = order if order is not None else list(reversed(range(len(tensors))))
    offsets, at = {}, 0
    for i in order:
        offsets[i] = at
        at += len(tensors[i][3])
        at += -at % alignment
    for i, (name, dims, type_name, raw) in enumerate(tensors):
        head += _string(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims)
        head += struct.pack("<IQ", TYPES[type_name][0], offsets[i])
    head += b"\0" * (-len(head) % alignment)
    data = bytearray(at)
    for i in order:
        raw = tensors[i][3]
        data[offsets[i]:offsets[i] + len(raw)] = raw
    with open(path, "wb") as f:
        f.write(head)
        f.write(bytes(data))


# ---- random blocks ---------------------------------------------------------------------------

def _halves(values):
    return np.asarray(values, dtype="<f2").view(np.uint8).reshape(-1, 2)


# Where each type's half-precision scales sit in its block, and the typical
# size of (packed integer x sub-scale), to pick the scales.
SCALE_FIELDS = {"Q8_0": [0], "Q4_0": [0], "Q4_1": [0, 2], "Q5_0": [0], "Q5_1": [0, 2],
                "Q2_K": [80, 82], "Q3_K": [108], "Q4_K": [0, 2], "Q5_K": [0, 2], "Q6_K": [208]}
SPREAD = {"Q8_0": 73, "Q4_0": 4.6, "Q4_1": 4.6, "Q5_0": 9.2, "Q5_1": 9.2, "Q2_K": 17,
          "Q3_K": 42, "Q4_K": 200, "Q5_K": 400, "Q6_K": 1370}
# The second half (a min, or dmin) relative to the first, so values centre near 0.
MIN_RATIO = {"Q4_1": -7.5, "Q5_1": -15.5, "Q2_K": 1.5, "Q4_K": 7.5, "Q5_K": 15.5}


def random_tensor(rng, type_name, rows, cols, std):
    """(raw bytes, float64 values [rows, cols]) of a random tensor."""
    if type_name in ("F32", "F16", "BF16"):
        x = rng.standard_normal((rows, cols)) * std
        if type_name == "F32":
            x = x.astype("<f4")
            return x.tobytes(), x.astype(np.float64)
        if type_name == "F16":
            x = x.astype("<f2")
            return x.tobytes(), x.astype(np.float64)
        bits = (x.astype("<f4").view("<u4") >> 16).astype("<u2")
        return bits.tobytes(), (bits.astype("<u4") << 16).view("<f4").astype(np.float64)
    _, block, size = TYPES[type_name]
    n = rows * cols // block
    blocks = rng.integers(0, 256, size=(n, size), dtype=np.uint8)
    fields = SCALE_FIELDS[type_name]
    d = std / SPREAD[type_name] * rng.uniform(0.5, 1.5, size=n)
    blocks[:, fields[0]:fields[0] + 2] = _halves(d)
    if len(fields) > 1:
        blocks[:, fields[1]:fields[1] + 2] = _halves(d * MIN_RATIO[type_name])
    return blocks.tobytes(), dequantize(type_name, blocks).reshape(rows, cols)


# ---- dequantizing ----------------------------------------------------------------------------

def _f16(blocks, at):
    return blocks[:, at:at + 2].copy().view("<f2").astype(np.float64)  # [n, 1]


def dequantize(type_name, blocks):
    """float64 values [n * block] of `blocks` [n, bytes per block] (uint8)."""
    b = blocks.astype(np.int64)
    n = b.shape[0]
    e = np.arange(256)
    if type_name == "Q8_0":
        return (_f16(blocks, 0) * blocks[:, 2:34].view(np.int8)).ravel()
    if type_name in ("Q4_0", "Q4_1", "Q5_0", "Q5_1"):
        first = {"Q4_0": 2, "Q4_1": 4, "Q5_0": 6, "Q5_1": 8}[type_name]
        qs = b[:, first:first + 16]
        q = np.concatenate([qs & 15, qs >> 4], axis=1)  # value i: low nibble of byte i, i+16: high
        if type_name.startswith("Q5"):
            high = blocks[:, first - 4:first].copy().view("<u4").astype(np.int64)  # [n, 1]
            q = q | (((high >> np.arange(32)) & 1) << 4)
        d = _f16(blocks, 0)
        if type_name.endswith("_1"):
            return (q * d + _f16(blocks, 2)).ravel()
        return ((q - (8 if type_name == "Q4_0" else 16)) * d).ravel()
    if type_name in ("Q2_K", "Q3_K"):
        half, r = e // 128, e % 128
        j, within = r // 32, r % 32
        sub = e // 16
        qs_at = 16 if type_name == "Q2_K" else 32
        q = (b[:, qs_at + half * 32 + within] >> (2 * j)) & 3
        if type_name == "Q2_K":
            sc = b[:, sub]
            return (_f16(blocks, 80) * (sc & 15) * q - _f16(blocks, 82) * (sc >> 4)).ravel()
        hbit = (b[:, within] >> (4 * half + j)) & 1
        q = q - 4 * (1 - hbit)
        sc = b[:, 96:108]
        low = np.where(sub < 8, sc[:, sub % 8] & 15, sc[:, sub % 8] >> 4)
        top = (sc[:, 8 + sub % 4] >> (2 * (sub // 4))) & 3
        return (_f16(blocks, 108) * ((low | (top << 4)) - 32) * q).ravel()
    if type_name in ("Q4_K", "Q5_K"):
        chunk, part, l = e // 64, (e % 64) // 32, e % 32
        sub = e // 32
        qs_at = 16 if type_name == "Q4_K" else 48
        byte = b[:, qs_at + chunk * 32 + l]
        q = np.where(part == 1, byte >> 4, byte & 15)
        if type_name == "Q5_K":
            q = q + 16 * ((b[:, 16 + l] >> sub) & 1)
        s = b[:, 4:16]
        scale = np.where(sub < 4, s[:, sub % 4] & 63,
                         (s[:, (sub + 4) % 12] & 15) | ((s[:, (sub - 4) % 12] >> 6) << 4))
        mins = np.where(sub < 4, s[:, (sub + 4) % 12] & 63,
                        (s[:, (sub + 4) % 12] >> 4) | ((s[:, sub % 12] >> 6) << 4))
        return (_f16(blocks, 0) * scale * q - _f16(blocks, 2) * mins).ravel()
    if type_name == "Q6_K":
        half, r = e // 128, e % 128
        k, l = r // 32, r % 32
        low = b[:, half * 64 + l + 32 * (k % 2)]
        nibble = np.where(k < 2, low & 15, low >> 4)
        high = (b[:, 128 + half * 32 + l] >> (2 * k)) & 3
        q = (nibble | (high << 4)) - 32
        sc = blocks[:, 192:208].view(np.int8).astype(np.int64)[:, half * 8 + 2 * k + l // 16]
        return (_f16(blocks, 208) * sc * q).ravel()
    raise ValueError(type_name)
