#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "model/transformer_config.h"
#include "model/transformer_model.h"
#include "util/progress.h"

namespace beamscope {

// The header of a llama2.c checkpoint (Karpathy's run.c format).
struct Llama2cHeader {
  int version = 0;  // 0: legacy 7-int32 header; 1: "ak42" float32 export
  std::size_t header_bytes = 0;
  int dim = 0, hidden_dim = 0, n_layers = 0, n_heads = 0, n_kv_heads = 0, vocab_size = 0,
      seq_len = 0;
  bool shared_classifier = true;  // v0: vocab_size > 0; v1: a flag byte
};

// Reads and checks the header of `bytes` (a whole .bin file; `file` names it
// in messages): positive sizes within range, dim divisible by n_heads,
// n_heads by n_kv_heads, and the file exactly as long as the header says.
// Version 2 ("ak42" int8) and other versions are refused by name.
Llama2cHeader read_llama2c_header(std::span<const std::byte> bytes, const std::string& file);

// The transformer config of a llama2.c model: RMS norm (eps 1e-5), rotary
// embeddings on interleaved pairs (theta 10000), SwiGLU, grouped-query
// attention, and the classifier shared with the embeddings unless the header
// says otherwise.
TransformerConfig llama2c_transformer_config(const Llama2cHeader& header);

// Loads a llama2.c checkpoint (float32 weights, [out, in] matrices).
std::unique_ptr<TransformerModel> load_llama2c_checkpoint(const std::filesystem::path& file,
                                                          const ProgressFn& progress = {});

}  // namespace beamscope
