#include "decoding/node_reason.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <utility>

namespace beamscope {

namespace {

constexpr std::array<std::pair<ReasonCode, std::string_view>, 10> kCodeNames = {{
    {ReasonCode::None, "none"},
    {ReasonCode::Listed, "listed"},
    {ReasonCode::Argmax, "argmax"},
    {ReasonCode::Sampled, "sampled"},
    {ReasonCode::Forced, "forced"},
    {ReasonCode::BeamRunning, "beam_running"},
    {ReasonCode::BeamPruned, "beam_pruned"},
    {ReasonCode::BeamStopOutsideTop, "beam_stop_outside_top"},
    {ReasonCode::BeamHypothesis, "beam_hypothesis"},
    {ReasonCode::NothingLeft, "nothing_left"},
}};

constexpr std::array<std::pair<StopCause, std::string_view>, 3> kStopNames = {{
    {StopCause::None, "none"},
    {StopCause::Eos, "eos"},
    {StopCause::MaxLength, "max_length"},
}};

std::string fixed4(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  return buf;
}

std::string pool_place(const NodeReason& r) {
  return "rank " + std::to_string(r.pool_rank) + " of " + std::to_string(r.pool_size) +
         " candidates";
}

// Greedy, sampling and forced tokens end a sequence at EOS or at the budget.
std::string sequence_end(StopCause stop) {
  switch (stop) {
    case StopCause::Eos:
      return "; EOS";
    case StopCause::MaxLength:
      return "; max_new_tokens reached";
    case StopCause::None:
      break;
  }
  return "";
}

}  // namespace

std::string_view to_string(ReasonCode code) {
  for (const auto& [c, name] : kCodeNames) {
    if (c == code) return name;
  }
  return "none";
}

std::optional<ReasonCode> parse_reason_code(std::string_view name) {
  for (const auto& [c, n] : kCodeNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

std::string_view to_string(StopCause cause) {
  for (const auto& [c, name] : kStopNames) {
    if (c == cause) return name;
  }
  return "none";
}

std::optional<StopCause> parse_stop_cause(std::string_view name) {
  for (const auto& [c, n] : kStopNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

bool NodeReason::operator==(const NodeReason& o) const {
  const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  return code == o.code && stop == o.stop && listed == o.listed && pool_rank == o.pool_rank &&
         pool_size == o.pool_size && beam == o.beam && num_beams == o.num_beams &&
         same(sum, o.sum) && length == o.length && same(length_penalty, o.length_penalty) &&
         same(score, o.score) && dropped_at_step == o.dropped_at_step && answer == o.answer &&
         legacy_text == o.legacy_text;
}

std::string describe_reason(const NodeReason& r) {
  switch (r.code) {
    case ReasonCode::None:
      return r.legacy_text;
    case ReasonCode::Listed:
      return "in the top " + std::to_string(r.listed) + ", not taken";
    case ReasonCode::Argmax:
      return "argmax of the processed scores" + sequence_end(r.stop);
    case ReasonCode::Sampled:
      return "sampled" + sequence_end(r.stop);
    case ReasonCode::Forced:
      return "forced by the user" + sequence_end(r.stop);
    case ReasonCode::NothingLeft:
      return "every token was removed by the processors";
    case ReasonCode::BeamRunning:
      return pool_place(r) + "; running beam " + std::to_string(r.beam);
    case ReasonCode::BeamPruned:
      return pool_place(r) + "; " + std::to_string(r.num_beams) + " better candidates continue";
    case ReasonCode::BeamStopOutsideTop:
      return pool_place(r) + (r.stop == StopCause::Eos
                                  ? "; EOS outside top num_beams"
                                  : "; max length reached outside top num_beams");
    case ReasonCode::BeamHypothesis: {
      std::string text = pool_place(r) + (r.stop == StopCause::Eos ? "; EOS" : "; max length") +
                         "; hypothesis score " + fixed4(r.sum) + " / " + std::to_string(r.length) +
                         "^" + fixed4(r.length_penalty) + " = " + fixed4(r.score);
      if (r.dropped_at_step > 0) {
        text += "; not among the best " + std::to_string(r.num_beams) + " hypotheses (step " +
                std::to_string(r.dropped_at_step) + ")";
      }
      if (r.answer > 0) text += "; returned as answer " + std::to_string(r.answer);
      return text;
    }
  }
  return r.legacy_text;
}

}  // namespace beamscope
