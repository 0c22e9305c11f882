#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope {

enum class StrategyKind { Greedy, Beam, Sample };
enum class EarlyStopping { True, False, Never };  // HF: True / False / "never"
enum class ChainOrder { Hf, LlamaCpp, Custom };

// Everything that shapes a decoding run. Names and meanings follow Hugging
// Face `generate`; see core/decoding/README.md. A threshold at its neutral
// value (top_k 0, top_p 1, min_p 0, typical_p 1, epsilon 0, penalty 1) means
// the stage is off. Each member's range, help text, CLI option and GUI
// control are described once, in decoding/decode_param_spec.cpp: a new member
// needs an entry there too.
struct DecodeParams {
  StrategyKind strategy = StrategyKind::Greedy;
  int max_new_tokens = 20;

  // Beam search.
  int num_beams = 1;
  double length_penalty = 1.0;
  EarlyStopping early_stopping = EarlyStopping::False;
  int num_return_sequences = 1;

  // Logits processors (all strategies).
  double repetition_penalty = 1.0;
  int no_repeat_ngram_size = 0;

  // Sampler stages (only when sampling in the hf order, as HF does).
  double temperature = 1.0;
  int top_k = 0;
  double top_p = 1.0;
  double min_p = 0.0;
  double typical_p = 1.0;
  double epsilon_cutoff = 0.0;
  ChainOrder order = ChainOrder::Hf;
  // Stage names for ChainOrder::Custom, e.g. {"top_k", "temperature", "min_p"}.
  std::vector<std::string> custom_order;

  // Sampling.
  std::uint64_t seed = 0;
  int num_samples = 1;

  // How many of each node's next tokens that no path took become tree nodes
  // (Alternative children).
  int alternatives = 5;
  // How many entries of each node's own next-token distribution to record
  // (the inspector's rows); at least `alternatives` are recorded whatever this
  // says. Separate from `alternatives` so the inspector can show each stage's
  // cut (top-20) without putting 20 alternatives per node into the tree.
  int distribution_size = 20;

  // Memory bound: the tree never holds more than this many nodes. A step that
  // could push it past the cap is not started; the run stops cleanly with
  // DecodeResult::capped set and the tree so far (about 200 bytes per node
  // plus its recorded distribution, so the default stays well under 1 GB).
  static constexpr int kDefaultMaxNodes = 200000;
  int max_nodes = kDefaultMaxNodes;

  bool operator==(const DecodeParams&) const = default;
};

// Entries recorded per node distribution: max(alternatives, distribution_size).
int recorded_distribution_size(const DecodeParams& params);

std::string_view to_string(StrategyKind kind);
std::string_view to_string(EarlyStopping mode);
std::string_view to_string(ChainOrder order);
// Parsers return nullopt for an unknown name (callers turn it into an error).
std::optional<StrategyKind> parse_strategy(std::string_view name);
std::optional<EarlyStopping> parse_early_stopping(std::string_view name);
std::optional<ChainOrder> parse_order(std::string_view name);
// Every name the parser of that type accepts, in declaration order (for help
// texts and error messages). The argument only picks the type.
std::span<const std::string_view> names_of(StrategyKind);
std::span<const std::string_view> names_of(EarlyStopping);
std::span<const std::string_view> names_of(ChainOrder);

// The sampler stages a custom order may name, in Hugging Face's order (the
// order ChainOrder::Hf runs them in).
std::span<const std::string_view> sampler_stage_names();

// Throws beamscope::Error with one sentence naming the first invalid value
// (negative temperature, top_p outside [0, 1], num_return_sequences >
// num_beams for beam search, an unknown custom stage, ...). The ranges are
// those of the parameter table (decode_param_spec.cpp, where this lives).
void validate_decode_params(const DecodeParams& params);

}  // namespace beamscope
