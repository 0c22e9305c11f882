#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace beamscope {

// Why a node has its status, as the strategy decided it: a code and the
// numbers behind it. The core records only this; describe_reason() words it
// for every front end (inspector, DOT tooltips, the session's readable
// "reason" string), so the sentences live in one place.
enum class ReasonCode {
  None,                // no decision recorded (the root, or a node never judged)
  Listed,              // alternative: in its parent's listed top `listed`, not taken
  Argmax,              // greedy: the argmax of the processed scores
  Sampled,             // sampling: drawn by at least one sample
  Forced,              // chosen by the user ("what if")
  BeamRunning,         // beam search: became running beam `beam`
  BeamPruned,          // beam search: `num_beams` better candidates continue
  BeamStopOutsideTop,  // beam search: hit a stop while ranked below num_beams
  BeamHypothesis,      // beam search: hit a stop in the top num_beams: a hypothesis
  NothingLeft,         // the processors removed every token after this node
};
std::string_view to_string(ReasonCode code);
std::optional<ReasonCode> parse_reason_code(std::string_view name);

// Why a path ended at the node, where it did.
enum class StopCause { None, Eos, MaxLength };
std::string_view to_string(StopCause cause);
std::optional<StopCause> parse_stop_cause(std::string_view name);

struct NodeReason {
  ReasonCode code = ReasonCode::None;
  StopCause stop = StopCause::None;
  int listed = 0;  // Listed: how many tokens the parent lists
  // Beam search: the candidate's place in its step's pool (1 = best).
  int pool_rank = 0;
  int pool_size = 0;
  int beam = 0;       // BeamRunning: which running beam (1-based)
  int num_beams = 0;  // BeamPruned / BeamStopOutsideTop / BeamHypothesis
  // BeamHypothesis: score = sum / length ^ length_penalty.
  double sum = 0.0;  // of the processed log-probs since the start node
  int length = 0;    // generated tokens counted for the penalty
  double length_penalty = 0.0;
  double score = 0.0;
  int dropped_at_step = 0;  // > 0: fell out of the best num_beams hypotheses then
  int answer = 0;           // > 0: returned as this answer (1 = best)
  // Only for trees read from a file written before reasons were data: its
  // sentence, shown as it is when `code` is None.
  std::string legacy_text{};

  // Field by field; NaN equals NaN (a saved and reloaded reason equals the
  // original).
  bool operator==(const NodeReason& other) const;
};

// One sentence (clauses joined by "; "), e.g. "rank 3 of 8 candidates; 4
// better candidates continue"; empty for ReasonCode::None without text.
std::string describe_reason(const NodeReason& reason);

}  // namespace beamscope
