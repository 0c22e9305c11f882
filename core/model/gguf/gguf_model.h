#pragma once

#include <filesystem>
#include <memory>

#include "model/gguf/gguf_file.h"
#include "model/model_folder.h"
#include "model/transformer_config.h"
#include "model/transformer_weights.h"
#include "tokenizer/tokenizer.h"
#include "util/progress.h"

namespace beamscope {

// Opens a llama.cpp GGUF file: the model, the tokenizer embedded in it and
// its description. Errors are one beamscope::Error sentence naming the file.
LoadedModel load_gguf_model(const std::filesystem::path& file, const ProgressFn& progress = {});

// The pieces (gguf_config.cpp, gguf_weights.cpp, gguf_tokenizer.cpp).

// general.architecture and its {arch}.* keys as a TransformerConfig:
// llama, qwen2, qwen3, gemma3, gpt2, gptneox.
TransformerConfig gguf_transformer_config(const GgufFile& file);

// llama.cpp's tensor names (token_embd, blk.N.attn_q, ...) as the forward
// pass's weights: quantized matrices and embedding tables kept quantized
// (QuantPanels; BEAMSCOPE_GGUF_DEQUANTIZE=1 dequantizes them at load
// instead), F16/BF16 as 16-bit panels, the rest as floats. Every tensor
// must be used.
TransformerWeights gguf_transformer_weights(const GgufFile& file, const TransformerConfig& config,
                                            const ProgressFn& progress);

// The weights' storage: "Q4_K", "F16", or "mixed (Q4_K, Q6_K, F32)" naming
// the types of the matrices (1-D norms, F32 by convention, left out).
std::string gguf_dtype(const GgufFile& file);

// tokenizer.ggml.*: "gpt2" (byte-level BPE with merges; the split pattern by
// tokenizer.ggml.pre) or "llama" (SentencePiece scores and byte pieces).
std::unique_ptr<Tokenizer> gguf_tokenizer(const GgufFile& file);

}  // namespace beamscope
