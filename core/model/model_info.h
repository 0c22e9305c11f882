#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace beamscope {

// The one description of a loaded model: what `beamscope-cli info` prints,
// what the GUI's status bar and model picker show and what a saved tree
// records. A LanguageModel fills in what the weights tell (architecture,
// sizes, dtype); the loader adds what only the folder knows (special ids
// from config.json / generation_config.json, every file it read).
struct ModelInfo {
  std::string architecture;        // "gpt2", "llama", "gemma3_text", "llama2c", ...
  std::string path;                // the folder or file it was loaded from
  std::vector<std::string> files;  // every file read, in the order read
  std::string dtype;               // weights as stored: "F32", "F16", "BF16" or "mixed"
  int vocab_size = 0;              // rows of the logits
  int context_length = 0;          // maximum positions
  std::size_t parameter_count = 0;
  std::size_t weight_bytes = 0;  // bytes of weights as held in memory
  // Every id that ends a sequence (Llama 3 has several); empty = none.
  std::vector<std::int32_t> eos_ids;
  std::optional<std::int32_t> bos_id;
  // 0: the model gives dense logits. N > 0: it gives only the top N
  // log-probs per step (a remote server); the others are -inf = unknown.
  int top_logprobs = 0;

  bool operator==(const ModelInfo&) const = default;
};

}  // namespace beamscope
