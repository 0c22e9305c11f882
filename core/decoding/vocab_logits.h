#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace beamscope {

inline constexpr double kRemoved = -std::numeric_limits<double>::infinity();

// One score per vocabulary entry [vocab]; a token a stage removed holds -inf
// (exactly as Hugging Face's processors mask with -inf), so every stage sees
// the whole vocabulary and "survivors" are simply the finite entries.
// Scores are doubles so that sums of many small probabilities stay exact
// enough for the top-p / typical cumulative cuts.
class VocabLogits {
 public:
  VocabLogits() = default;
  explicit VocabLogits(std::span<const float> values);
  explicit VocabLogits(std::vector<double> values) : score_(std::move(values)) {}
  // `values` widened into `storage`, whose capacity is reused (a strategy
  // hands each step's scores back through take_storage(), so a step in the
  // steady state allocates no [vocab] array).
  VocabLogits(std::span<const float> values, std::vector<double>&& storage);
  // The scores' array, for the next VocabLogits; this one is left empty.
  std::vector<double> take_storage() && { return std::move(score_); }

  int size() const { return static_cast<int>(score_.size()); }
  double operator[](std::int32_t id) const { return score_[static_cast<std::size_t>(id)]; }
  // Writable access: the scores may change, so an exact order hint no longer is.
  double& operator[](std::int32_t id) {
    hint_exact_ = false;
    return score_[static_cast<std::size_t>(id)];
  }
  const std::vector<double>& values() const { return score_; }
  // All scores for writing in one loop (a stage that maps every score).
  std::span<double> mutable_values() {
    hint_exact_ = false;
    return score_;
  }

  bool alive(std::int32_t id) const { return (*this)[id] != kRemoved; }
  void remove(std::int32_t id) { (*this)[id] = kRemoved; }
  int alive_count() const;
  double max_score() const;  // -inf when nothing survives
  // log(sum(exp(score))) over survivors, computed around the max for stability.
  double log_sum_exp() const;
  // Survivor ids, best first; ties go to the lower id (torch.argmax's choice).
  std::vector<std::int32_t> alive_sorted_desc() const;
  // The first `k` of alive_sorted_desc() (fewer if fewer survive).
  std::vector<std::int32_t> best_alive(std::size_t k) const;
  // The same for a caller that knows how many survive (alive_count()): a
  // hint walk that has found them all holds every survivor in order, so it
  // skips the pass that checks no survivor outside it scores higher.
  std::vector<std::int32_t> best_alive(std::size_t k, std::size_t alive) const;
  // The same into `ids` (cleared first), whose storage a caller asking every
  // step keeps; `alive` may be SIZE_MAX (unknown).
  void best_alive_into(std::size_t k, std::size_t alive, std::vector<std::int32_t>& ids) const;
  // A likely best-first order of the ids (the raw-logit order of the prefix:
  // temperature and truncation keep it), all of them or only the best ones
  // (LogitsSummary orders the head of a large vocabulary). The two calls above
  // then take the head in one walk and check it (the walk is sorted, and no
  // survivor beyond it scores higher), and sort only if a stage (a penalty)
  // reordered the scores or more is asked for than the head holds, so the
  // result is always exactly the sorted one.
  // `exact`: the caller knows the scores are sorted by exactly this order
  // (log-softmax values, the very numbers it was sorted by, with no stage run),
  // and every id left out of it scores lower, so the walk needs no check;
  // any later write drops that.
  void set_order_hint(std::shared_ptr<const std::vector<std::int32_t>> order, bool exact = false) {
    order_hint_ = std::move(order);
    hint_exact_ = exact && order_hint_;
  }
  // After a stage that keeps a few tokens (top-p, top-k), the passes of the
  // stages and sums after it walk a list of ids that holds every survivor,
  // not the whole vocabulary (262,144 doubles at Gemma 3). Writes may lower,
  // rescale or remove scores; only keep_only() gives a removed token a score
  // again, so the list stays a superset of the survivors.
  // keep_only: exactly these (id, score) survive.
  void keep_only(std::span<const std::pair<std::int32_t, double>> kept);
  // Removes every survivor scoring below `floor`, and lists the rest.
  void remove_below(double floor);
  // Removes every survivor whose score `remove(score)` is true: one pass over
  // the list, or over the vocabulary when there is none.
  template <class Remove>
  void remove_if(Remove remove) {
    hint_exact_ = false;
    for_each_candidate([&](std::size_t i) {
      double& s = score_[i];
      if (s != kRemoved && remove(s)) s = kRemoved;
    });
  }
  // softmax over survivors [vocab]; removed tokens get probability 0.
  std::vector<double> probabilities() const;
  // The k-th largest score among all entries (k >= 1, -inf entries count).
  double kth_largest(int k) const;
  // argmax with ties to the lower id; -1 if nothing survives.
  std::int32_t best_id() const;

 private:
  // The best k survivors from the hint's walk, if the walk proves them so.
  // `alive`: the survivors' count if known, else SIZE_MAX.
  bool best_alive_from_hint(std::size_t k, std::size_t alive, std::vector<std::int32_t>& ids) const;
  // Whether no survivor outside `ids` (sorted, best first) scores ahead of its last.
  bool none_ahead_of_last(const std::vector<std::int32_t>& ids) const;

  // Calls f(i) for every id i that may survive, ascending.
  template <class F>
  void for_each_candidate(F f) const {
    if (survivor_list_) {
      for (std::int32_t id : *survivor_list_) f(static_cast<std::size_t>(id));
    } else {
      for (std::size_t i = 0; i < score_.size(); ++i) f(i);
    }
  }

  std::vector<double> score_;
  // Ascending ids, a superset of the survivors (see keep_only); null = all.
  std::shared_ptr<const std::vector<std::int32_t>> survivor_list_;
  std::shared_ptr<const std::vector<std::int32_t>> order_hint_;  // may be null
  bool hint_exact_ = false;
};

// log_softmax of raw logits [vocab] -> [vocab], in double.
std::vector<double> log_softmax(std::span<const float> logits);

}  // namespace beamscope
