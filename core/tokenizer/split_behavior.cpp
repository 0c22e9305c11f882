// HF's SplitDelimiterBehavior, applied to the segments of one piece.
#include <algorithm>
#include "tokenizer/pre_tokenizer.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

SplitBehavior read_split_behavior(const json& part, const std::string& where) {
  const std::string name = required_string(part, "behavior", where);
  if (name == "Removed") return SplitBehavior::removed;
  if (name == "Isolated") return SplitBehavior::isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::merged_with_previous;
  if (name == "MergedWithNext") return SplitBehavior::merged_with_next;
  if (name == "Contiguous") return SplitBehavior::contiguous;
  throw Error(where + ".behavior " + json_value_for_message(json(name)) + " is not supported.");
}

void split_piece(const PreToken& piece, const std::vector<Segment>& segments,
                 SplitBehavior behavior, std::vector<PreToken>& out) {
  // Ranges of the pieces to keep, built as HF's fold over (offsets, is_match).
  thread_local std::vector<std::pair<std::size_t, std::size_t>> kept;
  kept.clear();
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::removed:
      for (const Segment& s : segments) {
        if (!s.is_match) kept.emplace_back(s.start, s.end);
      }
      break;
    case SplitBehavior::isolated:
      for (const Segment& s : segments) kept.emplace_back(s.start, s.end);
      break;
    case SplitBehavior::merged_with_previous:
      for (const Segment& s : segments) {
        if (s.is_match && !previous_match && !kept.empty()) {
          kept.back().second = s.end;
        } else {
          kept.emplace_back(s.start, s.end);
        }
        previous_match = s.is_match;
      }
      break;
    case SplitBehavior::merged_with_next:
      // HF folds from the right: a match joins the stretch after it.
      for (auto s = segments.rbegin(); s != segments.rend(); ++s) {
        if (s->is_match && !previous_match && !kept.empty()) {
          kept.back().first = s->start;
        } else {
          kept.emplace_back(s->start, s->end);
        }
        previous_match = s->is_match;
      }
      std::reverse(kept.begin(), kept.end());
      break;
    case SplitBehavior::contiguous:
      for (const Segment& s : segments) {
        if (s.is_match == previous_match && !kept.empty()) {
          kept.back().second = s.end;
        } else {
          kept.emplace_back(s.start, s.end);
        }
        previous_match = s.is_match;
      }
      break;
  }
  for (const auto& [start, end] : kept) {
    if (end > start)
      out.push_back({piece.text.substr(start, end - start), piece.at_start && start == 0});
  }
}

}  // namespace beamscope::hf
