#include "decoding/decoder.h"

#include <string>

#include "decoding/cached_logits_source.h"
#include "decoding/logits_cache.h"
#include "decoding/search_context.h"
#include "model/language_model.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace beamscope {

namespace {

void check_prompt(std::span<const std::int32_t> prompt, const DecodeParams& params,
                  const ModelInfo& info) {
  if (prompt.empty()) throw Error("The prompt is empty; give at least one token.");
  for (std::int32_t id : prompt) {
    if (id < 0 || id >= info.vocab_size) {
      throw Error("Prompt token id " + std::to_string(id) +
                  " is outside the model's vocabulary of " + std::to_string(info.vocab_size) +
                  " tokens.");
    }
  }
  // The last step needs the logits after prompt + max_new_tokens - 1 tokens.
  const long long longest = static_cast<long long>(prompt.size()) + params.max_new_tokens - 1;
  if (info.context_length > 0 && longest > info.context_length) {
    throw Error("The prompt (" + std::to_string(prompt.size()) + " tokens) plus max_new_tokens (" +
                std::to_string(params.max_new_tokens) + ") does not fit the model's context of " +
                std::to_string(info.context_length) + " tokens.");
  }
}

SearchOutcome dispatch(SearchContext& ctx) {
  switch (ctx.params.strategy) {
    case StrategyKind::Greedy:
      return greedy_search(ctx);
    case StrategyKind::Beam:
      // HF runs greedy search when num_beams is 1.
      return runs_beam_search(ctx.params) ? beam_search(ctx) : greedy_search(ctx);
    case StrategyKind::Sample:
      return sample_search(ctx);
  }
  return {};
}

}  // namespace

std::string node_cap_message(int max_nodes) {
  return "The tree reached its cap of " + std::to_string(max_nodes) + " nodes; decoding stopped.";
}

Decoder::Decoder(LanguageModel& model, const Tokenizer& tokenizer,
                 std::vector<std::int32_t> eos_ids, LogitsCache& cache)
    : model_(model),
      tokenizer_(tokenizer),
      eos_ids_(std::move(eos_ids)),
      cache_(cache),
      logits_source_(std::make_unique<CachedLogitsSource>(model, cache)) {}

Decoder::~Decoder() = default;

DecodeResult Decoder::run(std::span<const std::int32_t> prompt_ids, const DecodeParams& params,
                          const StepFn& on_step) {
  validate_decode_params(params);
  check_prompt(prompt_ids, params, model_.info());
  DecodeResult result;
  const int calls_before = logits_source_->model_calls();
  SearchContext ctx{result.tree, *logits_source_,       tokenizer_, eos_ids_, params, prompt_ids,
                    0,           params.max_new_tokens, on_step};
  SearchOutcome outcome = dispatch(ctx);
  result.tree.sequences = std::move(outcome.sequences);
  result.cancelled = outcome.cancelled;
  result.capped = outcome.capped;
  result.model_calls = logits_source_->model_calls() - calls_before;
  return result;
}

DecodeResult Decoder::force(const TokenTree& tree, std::span<const std::int32_t> prompt_ids,
                            int node, std::int32_t token_id, const DecodeParams& params,
                            const StepFn& on_step) {
  validate_decode_params(params);
  check_prompt(prompt_ids, params, model_.info());
  if (node < 0 || node >= tree.size()) {
    throw Error("Cannot force a token under node " + std::to_string(node) + ": the tree has " +
                std::to_string(tree.size()) + " nodes.");
  }
  if (token_id < 0 || token_id >= model_.info().vocab_size) {
    throw Error("Token id " + std::to_string(token_id) + " is outside the model's vocabulary of " +
                std::to_string(model_.info().vocab_size) + " tokens.");
  }
  if (tree.node(node).step >= params.max_new_tokens) {
    throw Error("Node " + std::to_string(node) + " is already at step " +
                std::to_string(tree.node(node).step) + ", so max_new_tokens (" +
                std::to_string(params.max_new_tokens) + ") leaves no room for a token.");
  }

  DecodeResult result;
  result.tree = tree;
  const int calls_before = logits_source_->model_calls();
  SearchContext ctx{result.tree, *logits_source_, tokenizer_, eos_ids_, params, prompt_ids, node,
                    0,           on_step};
  // The forced token and its parent's listed alternatives.
  if (!ctx.room_for(1 + params.alternatives)) {
    result.capped = true;
    return result;
  }

  // Score the forced token the way the strategy would have.
  const TokenPrefix prefix = ctx.prefix_of(node);
  NodeDistribution dist = StrategyChain(params).distribution(
      logits_source_->logits_for(prefix), prefix, recorded_distribution_size(params), tokenizer_);
  if (dist.summary->top_n() && dist.raw_logprob(token_id) == kRemoved) {
    throw Error("The server did not list token " + std::to_string(token_id) + " among its top " +
                std::to_string(dist.summary->known) +
                " after this node, so its probability is unknown and it cannot be forced.");
  }
  const int child = grow_child(ctx, node, token_id, dist);
  record_distribution(ctx, node, dist);
  TreeNode& forced = result.tree.node(child);
  forced.forced = true;
  forced.status = NodeStatus::Selected;
  forced.reason = NodeReason{.code = ReasonCode::Forced};

  const int remaining = params.max_new_tokens - forced.step;
  if (ctx.is_eos(token_id) || remaining == 0) {
    forced.status = NodeStatus::Returned;
    forced.reason.stop = ctx.is_eos(token_id) ? StopCause::Eos : StopCause::MaxLength;
    if (params.strategy == StrategyKind::Sample) forced.count += params.num_samples;
    result.tree.sequences = {sequence_at(ctx, child, 0.0)};
    if (on_step) on_step(result.tree, forced.step);
  } else {
    if (!on_step || on_step(result.tree, forced.step)) {
      ctx.start_node = child;
      ctx.budget = remaining;
      SearchOutcome outcome = dispatch(ctx);
      result.tree.sequences = std::move(outcome.sequences);
      result.cancelled = outcome.cancelled;
      result.capped = outcome.capped;
    } else {
      result.cancelled = true;
    }
  }
  result.model_calls = logits_source_->model_calls() - calls_before;
  return result;
}

}  // namespace beamscope
