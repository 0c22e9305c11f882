#include "decoding/logit_order.h"

#include <algorithm>
#include <bit>
#include <numeric>
#if defined(__AVX__)
#include <immintrin.h>
#endif

namespace beamscope {

namespace {

// A key whose ascending order is the float's descending order (-0 taken as
// +0, as the comparison does): the IEEE bits, sign-folded, inverted.
std::uint32_t descending_key(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x + 0.0f);
  const std::uint32_t ascending = (bits & 0x80000000u) ? ~bits : (bits | 0x80000000u);
  return ~ascending;
}

// The float (+0 for a zero) whose descending_key is `key`.
float float_of_descending_key(std::uint32_t key) {
  const std::uint32_t ascending = ~key;
  const std::uint32_t bits = (ascending & 0x80000000u) ? (ascending & 0x7FFFFFFFu) : ~ascending;
  return std::bit_cast<float>(bits);
}

// All ids: a stable LSD radix sort of the keys (3 passes of 11 bits) over ids
// that start in ascending order, so ties stay by id.
std::vector<std::int32_t> all_ids_by_logit(std::span<const float> logits) {
  const std::size_t n = logits.size();
  // Scratch kept per thread (summaries run on the pool's threads too), so a
  // decode step in the steady state allocates only the order it returns.
  thread_local std::vector<std::uint32_t> key, key_out;
  thread_local std::vector<std::int32_t> id_out;
  thread_local std::vector<std::size_t> start;
  key.resize(n);
  key_out.resize(n);
  id_out.resize(n);
  std::vector<std::int32_t> id(n);  // swapped with id_out each pass: one of the two is returned
  for (std::size_t i = 0; i < n; ++i) {
    key[i] = descending_key(logits[i]);
    id[i] = static_cast<std::int32_t>(i);
  }
  constexpr int kBits = 11;
  constexpr std::uint32_t kMask = (1u << kBits) - 1;
  for (int shift = 0; shift < 32; shift += kBits) {
    start.assign(kMask + 2, 0);
    for (std::uint32_t k : key) ++start[((k >> shift) & kMask) + 1];
    std::partial_sum(start.begin(), start.end(), start.begin());
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = start[(key[i] >> shift) & kMask]++;
      key_out[to] = key[i];
      id_out[to] = id[i];
    }
    key.swap(key_out);
    id.swap(id_out);
  }
  return id;
}

// Every (key, id) with key <= threshold, in id order. Groups of 16 are
// tested together first (integer work the compiler vectorises), and only a
// group with a hit is walked: the head is a few thousand of 262,144 ids.
void gather_at_or_above(std::span<const float> logits, std::uint32_t threshold,
                        std::vector<std::uint64_t>& chosen) {
  chosen.clear();
  constexpr std::size_t kGroup = 16;
  const std::size_t n = logits.size();
  const auto take = [&](std::size_t i) {
    const std::uint32_t k = descending_key(logits[i]);
    if (k <= threshold) chosen.push_back((std::uint64_t{k} << 32) | i);
  };
  // The group test on the floats themselves: key <= threshold is logit >= t
  // for the float t whose key the threshold is, and !(logit < t) holds for
  // those and for any NaN (whose key may sort anywhere), so no group with a
  // hit is skipped; take() decides on the keys. One vector compare per 8
  // logits, where the keys' sign folding kept the compiler scalar.
  const float t = float_of_descending_key(threshold);
  std::size_t i = 0;
  for (; i + kGroup <= n; i += kGroup) {
    bool hit = false;
#if defined(__AVX__)
    static_assert(kGroup == 16);
    const __m256 tv = _mm256_set1_ps(t);
    const __m256 a = _mm256_cmp_ps(_mm256_loadu_ps(&logits[i]), tv, _CMP_NLT_UQ);
    const __m256 b = _mm256_cmp_ps(_mm256_loadu_ps(&logits[i + 8]), tv, _CMP_NLT_UQ);
    hit = _mm256_movemask_ps(_mm256_or_ps(a, b)) != 0;
#else
    for (std::size_t l = 0; l < kGroup; ++l) hit |= !(logits[i + l] < t);
#endif
    if (hit) {
      for (std::size_t l = 0; l < kGroup; ++l) take(i + l);
    }
  }
  for (; i < n; ++i) take(i);
}

}  // namespace

LogitOrder order_by_logit(std::span<const float> logits, std::size_t at_least) {
  const std::size_t n = logits.size();
  if (at_least >= n / 4) return {all_ids_by_logit(logits), true};

  // A threshold from a sample: every 16th key, of which the best
  // at_least / 16 plus a margin, so the keys at or above it number about
  // 1.5 × at_least; one pass gathers those, and only they are sorted. A
  // sample that misjudged (too few at or above it) doubles its margin.
  // Scratch kept per thread, as in all_ids_by_logit.
  thread_local std::vector<std::uint32_t> sample;
  thread_local std::vector<std::uint64_t> chosen;  // (key, id): ascending = (logit desc, id asc)
  constexpr std::size_t kStride = 16;
  sample.clear();
  for (std::size_t i = 0; i < n; i += kStride) sample.push_back(descending_key(logits[i]));
  for (std::size_t margin = at_least / 2 + 64;; margin *= 2) {
    const std::size_t rank = (at_least + margin) / kStride;
    if (rank >= sample.size() || at_least + margin > n / 2) return {all_ids_by_logit(logits), true};
    std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(rank),
                     sample.end());
    const std::uint32_t threshold = sample[rank];
    gather_at_or_above(logits, threshold, chosen);
    if (chosen.size() >= at_least) break;
  }
  // Many equal logits at the threshold can gather most of the vocabulary.
  if (chosen.size() > n / 2) return {all_ids_by_logit(logits), true};
  std::sort(chosen.begin(), chosen.end());
  LogitOrder out;
  out.ids.reserve(chosen.size());
  for (std::uint64_t c : chosen) out.ids.push_back(static_cast<std::int32_t>(c & 0xFFFFFFFFu));
  out.complete = out.ids.size() == n;
  return out;
}

}  // namespace beamscope
