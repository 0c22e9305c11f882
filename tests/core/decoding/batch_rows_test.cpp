// The rows of one batched decode step are checked and summarised on the
// shared thread pool (CachedLogitsSource::check_and_summarize): each row's
// summary is the one summarize_logits gives it, it is kept in the cache with
// the logits (not computed again on first use), any thread count gives the
// same results, and a bad row is one Error, never a crash or a lost row.
#include <gtest/gtest.h>

#include <limits>

#include "decoding/cached_logits_source.h"
#include "decoding/logits_summary.h"
#include "toy_world.h"
#include "util/error.h"
#include "util/thread_pool.h"

using namespace beamscope;
using namespace beamscope::test;

namespace {

// Four children of the prompt {1}: one prefill for the parent, then one
// batched step of four rows.
std::vector<TokenPrefix> four_children() { return {{1, 1}, {1, 2}, {1, 3}, {1, 4}}; }

class BatchRows : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { ThreadPool::set_shared_threads(GetParam()); }
  void TearDown() override { ThreadPool::set_shared_threads(physical_core_count()); }
};

TEST_P(BatchRows, EachRowKeepsItsOwnSummaryInTheCache) {
  ToyWorld w;
  w.model.set({1, 4}, {0.05, 0.05, 0.05, 0.05, 0.80});
  CachedLogitsSource source(w.model, w.cache);
  source.logits_for(TokenPrefix{1});
  w.model.reset_counts();
  const std::vector<TokenPrefix> prefixes = four_children();
  const std::vector<PrefixLogits> rows = source.logits_for(prefixes);
  EXPECT_EQ(w.model.decode_calls, 1);
  EXPECT_EQ(w.model.sequences_run, 4);
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    const LogitsSummary expected = summarize_logits(*rows[i].logits);
    EXPECT_EQ(rows[i].summary->order, expected.order);
    EXPECT_EQ(rows[i].summary->log_sum_exp, expected.log_sum_exp);
    // Stored with the logits: asking again hands out the same object.
    EXPECT_EQ(w.cache.summary(prefixes[i], rows[i].logits), rows[i].summary);
    EXPECT_EQ(w.cache.find(prefixes[i]), rows[i].logits);
  }
  EXPECT_EQ(rows[3].summary->order.front(), 4);  // row 4's own distribution, not a neighbour's
  EXPECT_EQ(rows[1].summary->order.front(), 0);
}

TEST_P(BatchRows, ABadRowIsOneErrorAndTheOthersAreNotKeptHalfDone) {
  ToyWorld w;
  w.model.set({1, 3}, {0.1, std::numeric_limits<double>::infinity(), 0.1, 0.1, 0.1});
  CachedLogitsSource source(w.model, w.cache);
  source.logits_for(TokenPrefix{1});
  try {
    source.logits_for(four_children());
    FAIL() << "no error for an infinite logit";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("non-finite"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(w.cache.contains({1, 3}));
}

INSTANTIATE_TEST_SUITE_P(Threads, BatchRows, ::testing::Values(1, 2, 3));

}  // namespace
