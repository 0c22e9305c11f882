// The node reason in the tree JSON: the readable "reason" sentence beside the
// structured "reason_data", exact round trips, files from before reasons were
// data, and hostile reason data.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/decoding/toy_world.h"
#include "io/reason_json.h"
#include "io/session.h"
#include "util/error.h"

using namespace beamscope;
using namespace beamscope::test;
using nlohmann::json;

namespace {

Session beam_session() {
  ToyWorld w;
  Session s;
  s.model.path = "/models/toy";
  s.model.architecture = "toy";
  s.model.vocab_size = 5;
  s.params = beam_params(2, 1.0, EarlyStopping::Never);
  s.prompt_ids = w.prompt;
  s.tree = w.decoder.run(w.prompt, s.params).tree;
  return s;
}

std::string error_of(const json& j) {
  try {
    session_from_json(j, "t.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ReasonJson, SentenceAndDataBesideEachOther) {
  const Session s = beam_session();
  const json j = session_to_json(s);
  int with_reason = 0;
  for (const json& node : j["nodes"]) {
    const TreeNode& n = s.tree.node(node["id"].get<int>());
    if (n.reason.code == ReasonCode::None) {
      EXPECT_FALSE(node.contains("reason_data"));
      continue;
    }
    ++with_reason;
    EXPECT_EQ(node["reason"], describe_reason(n.reason));
    EXPECT_EQ(node["reason_data"]["code"], std::string(to_string(n.reason.code)));
  }
  EXPECT_GT(with_reason, 5);
  EXPECT_EQ(session_from_json(j, "t.json"), s);
}

TEST(ReasonJson, EveryFieldRoundTrips) {
  const NodeReason r{.code = ReasonCode::BeamHypothesis,
                     .stop = StopCause::MaxLength,
                     .listed = 7,
                     .pool_rank = 2,
                     .pool_size = 8,
                     .beam = 3,
                     .num_beams = 4,
                     .sum = -2.25,
                     .length = 5,
                     .length_penalty = std::nan(""),
                     .score = -1e300,
                     .dropped_at_step = 6,
                     .answer = 2};
  json node = json::object();
  put_reason(node, r);
  const auto fail = [](const std::string& what) { throw Error(what); };
  EXPECT_EQ(read_reason(&node["reason_data"], node["reason"], fail), r);
}

TEST(ReasonJson, OlderFilesKeepTheirSentence) {
  json j = session_to_json(beam_session());
  for (json& node : j["nodes"]) {
    if (node.contains("reason_data")) node.erase("reason_data");
  }
  const Session s = session_from_json(j, "old.json");
  const json again = session_to_json(s);
  for (std::size_t i = 0; i < j["nodes"].size(); ++i) {
    const TreeNode& n = s.tree.node(static_cast<int>(i));
    EXPECT_EQ(n.reason.code, ReasonCode::None);
    EXPECT_EQ(describe_reason(n.reason), j["nodes"][i].value("reason", ""));
    EXPECT_EQ(again["nodes"][i].value("reason", ""), j["nodes"][i].value("reason", ""));
    EXPECT_FALSE(again["nodes"][i].contains("reason_data"));
  }
}

TEST(ReasonJson, HostileReasonDataIsOneSentence) {
  const json good = session_to_json(beam_session());
  const auto with = [&](const json& data) {
    json j = good;
    j["nodes"][1]["reason_data"] = data;
    return error_of(j);
  };
  EXPECT_NE(with(json::array()).find("node 1 has a \"reason_data\" that is not an object"),
            std::string::npos)
      << with(json::array());
  EXPECT_NE(with({{"pool_rank", 1}}).find("without a \"code\""), std::string::npos);
  EXPECT_NE(with({{"code", "guess"}}).find("unknown reason code \"guess\""), std::string::npos);
  EXPECT_NE(with({{"code", "argmax"}, {"stop", 3}}).find("non-string"), std::string::npos);
  EXPECT_NE(with({{"code", "argmax"}, {"stop", "later"}}).find("unknown reason stop"),
            std::string::npos);
  EXPECT_NE(with({{"code", "listed"}, {"listed", 1e12}}).find("not a 32-bit integer"),
            std::string::npos);
  EXPECT_NE(with({{"code", "listed"}, {"listed", 4294967296ull}}).find("not a 32-bit integer"),
            std::string::npos);
  EXPECT_NE(with({{"code", "beam_hypothesis"}, {"sum", "much"}}).find("invalid"),
            std::string::npos);
  for (const std::string& e : {with({{"code", "guess"}})}) {
    EXPECT_EQ(e.find("t.json is not a valid Beamscope tree: "), 0u) << e;
  }
}
