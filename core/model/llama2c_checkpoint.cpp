#include "model/llama2c_checkpoint.h"

#include <cstring>
#include <string>

#include "model/mapped_file.h"
#include "util/error.h"

namespace beamscope {

namespace {

constexpr std::uint32_t kMagic = 0x616b3432;  // "ak42" as llama2.c's export.py writes it
constexpr std::size_t kVersionedHeaderBytes = 256;
constexpr int kMaxDim = 65536, kMaxLayers = 1024, kMaxHeads = 1024, kMaxVocab = 1 << 22,
              kMaxSeqLen = 1 << 21;

std::int32_t int_at(std::span<const std::byte> bytes, std::size_t offset) {
  std::int32_t v;
  std::memcpy(&v, bytes.data() + offset, sizeof v);
  return v;
}

void check(bool ok, const std::string& file, const std::string& what) {
  if (!ok) throw Error(file + ": " + what + ".");
}

// Floats the weights take after the header, in the order of the file.
std::uint64_t weight_floats(const Llama2cHeader& h) {
  const std::uint64_t dim = h.dim, hidden = h.hidden_dim, L = h.n_layers, V = h.vocab_size;
  const std::uint64_t head = dim / h.n_heads, kv = head * h.n_kv_heads;
  std::uint64_t n = V * dim                                               // token embeddings
                    + L * dim * 2                                         // rms_att, rms_ffn
                    + L * (dim * dim * 2 + dim * kv * 2)                  // wq, wo, wk, wv
                    + L * dim * hidden * 3                                // w1, w2, w3
                    + dim;                                                // rms_final
  if (h.version == 0) n += static_cast<std::uint64_t>(h.seq_len) * head;  // freq_cis real + imag
  if (!h.shared_classifier) n += V * dim;
  return n;
}

}  // namespace

Llama2cHeader read_llama2c_header(std::span<const std::byte> bytes, const std::string& file) {
  Llama2cHeader h;
  check(bytes.size() >= 28, file, "is too short for a llama2.c checkpoint header (28 bytes)");
  std::uint32_t magic;
  std::memcpy(&magic, bytes.data(), sizeof magic);
  std::size_t at = 0;
  if (magic == kMagic) {
    check(bytes.size() >= kVersionedHeaderBytes, file, "is too short for its 256-byte header");
    h.version = int_at(bytes, 4);
    check(h.version == 1, file,
          "is a llama2.c checkpoint of version " + std::to_string(h.version) +
              "; only version 0 (legacy) and version 1 (float32) are supported, not the int8 "
              "version 2");
    at = 8;
    h.header_bytes = kVersionedHeaderBytes;
  } else {
    h.header_bytes = 28;
  }
  int* fields[] = {&h.dim,        &h.hidden_dim, &h.n_layers, &h.n_heads,
                   &h.n_kv_heads, &h.vocab_size, &h.seq_len};
  for (int* f : fields) {
    *f = int_at(bytes, at);
    at += 4;
  }
  if (h.version == 0) {
    // run.c: a negative vocab_size means the classifier follows the weights.
    h.shared_classifier = h.vocab_size > 0;
    if (h.vocab_size < 0 && h.vocab_size > -kMaxVocab - 1) h.vocab_size = -h.vocab_size;
  } else {
    h.shared_classifier = static_cast<unsigned char>(bytes[at]) != 0;
  }
  auto in_range = [&](const char* name, int v, int max) {
    check(v > 0 && v <= max, file,
          std::string(name) + " = " + std::to_string(v) + " is outside the supported range 1.." +
              std::to_string(max));
  };
  in_range("dim", h.dim, kMaxDim);
  in_range("hidden_dim", h.hidden_dim, kMaxDim * 8);
  in_range("n_layers", h.n_layers, kMaxLayers);
  in_range("n_heads", h.n_heads, kMaxHeads);
  in_range("n_kv_heads", h.n_kv_heads, kMaxHeads);
  in_range("vocab_size", h.vocab_size, kMaxVocab);
  in_range("seq_len", h.seq_len, kMaxSeqLen);
  check(
      h.dim % h.n_heads == 0, file,
      "dim " + std::to_string(h.dim) + " is not divisible by n_heads " + std::to_string(h.n_heads));
  check((h.dim / h.n_heads) % 2 == 0, file, "the head size must be even for rotary embeddings");
  check(h.n_heads % h.n_kv_heads == 0, file,
        "n_heads " + std::to_string(h.n_heads) + " is not a multiple of n_kv_heads " +
            std::to_string(h.n_kv_heads));
  // Sizes are bounded above, so this cannot overflow 64 bits.
  const std::uint64_t expected = h.header_bytes + weight_floats(h) * sizeof(float);
  check(bytes.size() == expected, file,
        "is " + std::to_string(bytes.size()) + " bytes, but its header describes " +
            std::to_string(expected) + " bytes of " + (h.shared_classifier ? "" : "un") +
            "shared-classifier weights");
  return h;
}

TransformerConfig llama2c_transformer_config(const Llama2cHeader& h) {
  TransformerConfig c;
  c.architecture = "llama2c";
  c.hidden = h.dim;
  c.layers = h.n_layers;
  c.heads = h.n_heads;
  c.kv_heads = h.n_kv_heads;
  c.head_dim = h.dim / h.n_heads;
  c.intermediate = h.hidden_dim;
  c.vocab = h.vocab_size;
  c.context = h.seq_len;
  c.norm = NormKind::kRmsNorm;
  c.norm_eps = 1e-5f;
  c.position = PositionKind::kRotary;
  c.rotary_pairing = RotaryPairing::kInterleaved;
  c.rotary_dims = c.head_dim;
  c.ropes = {RopeSpec{}};
  c.layer_specs.assign(static_cast<std::size_t>(h.n_layers), LayerSpec{});
  c.mlp = MlpKind::kGated;
  c.activation = Activation::kSilu;
  c.residual = ResidualLayout::kSequential;
  c.tied_head = h.shared_classifier;
  return c;
}

std::unique_ptr<TransformerModel> load_llama2c_checkpoint(const std::filesystem::path& path,
                                                          const ProgressFn& progress) {
  const MappedFile file(path);
  const auto bytes = file.bytes();
  const Llama2cHeader h = read_llama2c_header(bytes, path.string());
  TransformerConfig c = llama2c_transformer_config(h);
  using Index = PanelMatrix::Index;
  const Index dim = h.dim, hidden = h.hidden_dim, V = h.vocab_size, L = h.n_layers;
  const Index kv = c.kv_width();
  // The file is a plain sequence of float32 arrays; `take` hands out the next.
  const float* next = reinterpret_cast<const float*>(bytes.data() + h.header_bytes);
  auto take = [&](Index n) {
    const float* p = next;
    next += n;
    return p;
  };
  auto report = [&](double fraction) {
    if (progress && !progress(fraction, "Loading weights")) throw Cancelled();
  };
  // Versions 0 and 1 differ only in order: v0 interleaves by kind as run.c
  // reads it, v1 puts all norms first.
  const float *embedding, *rms_att, *wq, *wk, *wv, *wo, *rms_ffn, *w1, *w2, *w3, *rms_final;
  if (h.version == 0) {
    embedding = take(V * dim);
    rms_att = take(L * dim);
    wq = take(L * dim * dim), wk = take(L * kv * dim), wv = take(L * kv * dim);
    wo = take(L * dim * dim);
    rms_ffn = take(L * dim);
    w1 = take(L * hidden * dim), w2 = take(L * dim * hidden), w3 = take(L * hidden * dim);
    rms_final = take(dim);
    take(static_cast<Index>(h.seq_len) * c.head_dim);  // freq_cis real + imag: recomputed
  } else {
    rms_att = take(L * dim);
    rms_ffn = take(L * dim);
    rms_final = take(dim);
    embedding = take(V * dim);
    wq = take(L * dim * dim), wk = take(L * kv * dim), wv = take(L * kv * dim);
    wo = take(L * dim * dim);
    w1 = take(L * hidden * dim), w2 = take(L * dim * hidden), w3 = take(L * hidden * dim);
  }
  const float* classifier = h.shared_classifier ? embedding : take(V * dim);

  TransformerWeights w;
  PanelArena arena;  // see PanelArena: each matrix written once
  FloatBuffer stacked;
  for (Index l = 0; l < L; ++l) {
    TransformerLayerWeights layer;
    layer.attn_norm.weight.assign(rms_att + l * dim, rms_att + (l + 1) * dim);
    layer.mlp_norm.weight.assign(rms_ffn + l * dim, rms_ffn + (l + 1) * dim);
    // q | k | v and gate (w1) | up (w3) stacked as [out, in] rows.
    stacked.assign(wq + l * dim * dim, wq + (l + 1) * dim * dim);
    stacked.insert(stacked.end(), wk + l * kv * dim, wk + (l + 1) * kv * dim);
    stacked.insert(stacked.end(), wv + l * kv * dim, wv + (l + 1) * kv * dim);
    layer.qkv = PanelMatrix::from_transposed(stacked.data(), dim, dim + 2 * kv, arena);
    layer.out = PanelMatrix::from_transposed(wo + l * dim * dim, dim, dim, arena);
    stacked.assign(w1 + l * hidden * dim, w1 + (l + 1) * hidden * dim);
    stacked.insert(stacked.end(), w3 + l * hidden * dim, w3 + (l + 1) * hidden * dim);
    layer.up = PanelMatrix::from_transposed(stacked.data(), dim, 2 * hidden, arena);
    layer.down = PanelMatrix::from_transposed(w2 + l * dim * hidden, hidden, dim, arena);
    w.layers.push_back(std::move(layer));
    report(static_cast<double>(l + 1) / static_cast<double>(L + 1));
  }
  w.final_norm.weight.assign(rms_final, rms_final + dim);
  w.head = PanelMatrix::from_transposed(classifier, dim, V, arena);
  if (!h.shared_classifier) w.embedding = EmbeddingTable(embedding, V, dim);
  report(1.0);
  return std::make_unique<TransformerModel>(std::move(c), std::move(w), path.string());
}

}  // namespace beamscope
