#pragma once

#include <span>

namespace beamscope {

// log(sum(exp(x))) over `values`: the maximum m first, then
// m + log(sum(exp(x - m))) in double, summed in a fixed grouping by index
// (log_sum_exp.cpp says which). -inf entries (a
// removed token) add nothing; when every entry is -inf, or there is none, the
// result is -inf. Every log-softmax and normalizer in the engine (token
// scores, the logits summary of a cached prefix, scoring text) uses this one
// function, so the same numbers give the same bits wherever they are summed.
double log_sum_exp(std::span<const float> values);
double log_sum_exp(std::span<const double> values);

// The maximum of `values`; -inf when empty.
double max_value(std::span<const double> values);

}  // namespace beamscope
