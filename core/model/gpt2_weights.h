#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/aligned_buffer.h"
#include "model/gpt2_config.h"
#include "util/progress.h"

namespace beamscope {

class SafetensorsFile;
struct SafetensorsTensor;

// One transformer block. Conv1D weights keep Hugging Face's [in, out] layout,
// so every linear layer is y = x W + b with row-major x [T, in].
// (C = n_embd, F = n_inner.)
struct Gpt2LayerWeights {
  FloatBuffer ln_1_weight, ln_1_bias;  // [C]
  FloatBuffer attn_weight;             // [C, 3C]  -> q | k | v
  FloatBuffer attn_bias;               // [3C]
  FloatBuffer attn_proj_weight;        // [C, C]
  FloatBuffer attn_proj_bias;          // [C]
  FloatBuffer ln_2_weight, ln_2_bias;  // [C]
  FloatBuffer mlp_fc_weight;           // [C, F]
  FloatBuffer mlp_fc_bias;             // [F]
  FloatBuffer mlp_proj_weight;         // [F, C]
  FloatBuffer mlp_proj_bias;           // [C]
};

// All parameters, float32 (F16 and BF16 files widened exactly), immutable
// once loaded. Gpt2Model repacks the matrices (PanelMatrix) and keeps those
// that are exactly halves, an F16 file's, as halves again.
struct Gpt2Weights {
  FloatBuffer wte;  // [V, C] token embeddings (also the head when tied)
  FloatBuffer wpe;  // [P, C] position embeddings
  std::vector<Gpt2LayerWeights> layers;
  FloatBuffer ln_f_weight, ln_f_bias;  // [C]
  FloatBuffer lm_head;                 // [V, C]; empty = tied to wte

  bool tied_head() const { return lm_head.empty(); }
  const FloatBuffer& head() const { return tied_head() ? wte : lm_head; }
  std::size_t bytes() const;
};

// Visits every tensor of a GPT-2 model in file order with its Hugging Face
// name (without the "transformer." prefix), expected shape and storage. The
// single place where names and shapes are spelled out; the loader and the
// random initialiser both walk it. lm_head is not included (it is optional).
using Gpt2TensorVisitor = std::function<void(
    const std::string& name, const std::vector<std::uint64_t>& shape, FloatBuffer& storage)>;
void for_each_gpt2_tensor(const Gpt2Config& config, Gpt2Weights& weights,
                          const Gpt2TensorVisitor& visit);

// Loads and converts the weights from a safetensors file. Every tensor's name,
// dtype and shape is checked against `config` before any data is read:
// missing tensors, unexpected tensors and wrong shapes are beamscope::Error
// naming the tensor. Accepts names with or without the "transformer." prefix,
// an optional untied "lm_head.weight", and ignores the "h.N.attn.bias" /
// "h.N.attn.masked_bias" buffers older exports carry. `progress` receives
// fractions in [0, 1]; returning false throws beamscope::Cancelled.
//
// With `leave_in_file`, the matrices (wte, lm_head and each block's four
// weight matrices) are checked but not read: their storage stays empty and
// `leave_in_file` says where they are, so Gpt2Model packs them straight from
// the mapped file (a 500 MB model is then written once at load, not three
// times; see PanelArena).
struct Gpt2FileMatrices;
Gpt2Weights load_gpt2_weights(const SafetensorsFile& file, const Gpt2Config& config,
                              const ProgressFn& progress = {},
                              Gpt2FileMatrices* leave_in_file = nullptr);

struct Gpt2FileMatrices {
  const SafetensorsFile* file = nullptr;
  // GPT-2 names without the "transformer." prefix ("h.0.mlp.c_fc.weight",
  // "wte.weight", "lm_head.weight" when the head is untied).
  std::map<std::string, const SafetensorsTensor*> tensors;
  // Progress continues by bytes over the whole file: the reader reported
  // `bytes_done` of `bytes_total` before the matrices.
  ProgressFn progress;
  std::uint64_t bytes_total = 0, bytes_done = 0;

  bool tied_head() const { return !tensors.count("lm_head.weight"); }
};

// True for the tensors load_gpt2_weights can leave in the file.
bool is_gpt2_matrix(const std::string& name);

// Deterministic pseudo-random weights of the right shapes (benchmarks and
// tests that need a model but not a trained one).
Gpt2Weights random_gpt2_weights(const Gpt2Config& config, std::uint64_t seed,
                                bool tied_head = true);

}  // namespace beamscope
