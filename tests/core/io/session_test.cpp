// Session JSON: exact round trips (incl. -inf, NaN and bytes that are not
// UTF-8), the contract's required fields, version handling, unknown fields,
// and hostile files.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/decode_param_samples.h"
#include "core/decoding/toy_world.h"
#include "decoding/decode_param_spec.h"
#include "io/session.h"
#include "util/error.h"

using namespace beamscope;
using namespace beamscope::test;
using nlohmann::json;

namespace {

std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "beamscope-session-test";
  std::filesystem::create_directories(dir);
  return dir / name;
}

Session make_session(const DecodeParams& params, std::vector<std::int32_t> prompt = {1}) {
  ToyWorld w;
  Session s;
  s.model.path = "/models/toy";
  s.model.architecture = "toy";
  s.model.vocab_size = 5;
  s.params = params;
  s.prompt_text = " A";
  s.prompt_ids = prompt;
  s.tree = w.decoder.run(prompt, params).tree;
  return s;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string load_error(const std::string& text) {
  const auto path = temp_path("hostile.json");
  write_text(path, text);
  try {
    load_session(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Session, BeamTreeRoundTripsExactly) {
  DecodeParams p = beam_params(2, 1.0, EarlyStopping::Never);
  p.repetition_penalty = 1.7;
  p.seed = 18446744073709551615ull;  // largest u64 survives
  Session s = make_session(p);
  s.tree.node(1).text = "\xF0\x9F";  // half an emoji: not UTF-8
  s.prompt_text = "caf\xC3";
  const auto path = temp_path("beam.json");
  save_session(s, path);
  const Session loaded = load_session(path);
  EXPECT_TRUE(loaded == s);
  EXPECT_EQ(loaded.tree.node(1).text, "\xF0\x9F");
  EXPECT_TRUE(std::isnan(loaded.tree.node(0).beam_sum));
}

TEST(Session, MinusInfinityAndStageCutsRoundTrip) {
  // no_repeat_ngram_size 1 bans the prompt token: its used_logprob is -inf.
  DecodeParams p;
  p.strategy = StrategyKind::Sample;
  p.num_samples = 7;
  p.no_repeat_ngram_size = 1;
  p.top_p = 0.8;
  p.temperature = 0.7;
  const Session s = make_session(p, {2});
  const int banned = *s.tree.find_child(0, 2);
  ASSERT_EQ(s.tree.node(banned).used_logprob, -INFINITY);
  ASSERT_FALSE(s.tree.node(0).next.stages.empty());
  const json j = session_to_json(s);
  EXPECT_EQ(j["nodes"][banned]["score_logprob"], "-inf");
  const Session back = session_from_json(json::parse(j.dump()), "mem.json");
  EXPECT_TRUE(back == s);
  EXPECT_EQ(back.tree.node(banned).used_logprob, -INFINITY);
}

TEST(Session, WritesTheContractFields) {
  const Session s = make_session(beam_params(2, 1.0, EarlyStopping::True));
  const json j = session_to_json(s);
  EXPECT_EQ(j["format"], "beamscope-tree");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["model"]["vocab_size"], 5);
  EXPECT_EQ(j["params"]["strategy"], "beam");
  EXPECT_EQ(j["params"]["early_stopping"], true);
  EXPECT_EQ(j["params"]["order"], "hf");
  EXPECT_EQ(j["prompt"]["ids"], json::array({1}));
  const json& root = j["nodes"][0];
  EXPECT_TRUE(root["parent"].is_null());
  EXPECT_EQ(root["status"], "root");
  EXPECT_EQ(root["step"], 0);
  const json& n1 = j["nodes"][1];
  for (const char* key : {"id", "parent", "step", "token_id", "text", "logprob", "score_logprob",
                          "cum_logprob", "cum_prob", "rank", "status"}) {
    EXPECT_TRUE(n1.contains(key)) << key;
  }
  ASSERT_EQ(j["sequences"].size(), 2u);
  EXPECT_EQ(j["sequences"][0]["token_ids"], json::array({3, 4, 0}));
  EXPECT_NEAR(j["sequences"][0]["score"].get<double>(),
              (std::log(0.3) + std::log(0.6) + std::log(0.7)) / 3, 1e-6);
  const Session early_never = make_session(beam_params(2, 1.0, EarlyStopping::Never));
  EXPECT_EQ(session_to_json(early_never)["params"]["early_stopping"], "never");
}

TEST(Session, NewerVersionIsAClearError) {
  json j = session_to_json(make_session(DecodeParams{}));
  j["version"] = 2;
  const auto path = temp_path("tree.json");
  write_text(path, j.dump());
  try {
    load_session(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "tree.json was written by a newer Beamscope (format version 2); this version "
                 "reads version 1.");
  }
}

TEST(Session, UnknownFieldsAreIgnored) {
  const Session s = make_session(DecodeParams{});
  json j = session_to_json(s);
  j["future_feature"] = {{"x", 1}};
  j["params"]["frobnication"] = 3;
  j["nodes"][1]["sparkle"] = "yes";
  j["sequences"][0]["extra"] = json::array();
  EXPECT_TRUE(session_from_json(j, "x.json") == s);
}

TEST(Session, MinimalContractFileLoads) {
  const json j = json::parse(R"({"format": "beamscope-tree", "version": 1,
    "nodes": [{"id": 0, "parent": null, "step": 0, "status": "root"},
              {"id": 1, "parent": 0, "step": 1, "token_id": 318, "text": " is", "logprob": -0.58,
               "score_logprob": -0.58, "cum_logprob": -0.58, "cum_prob": 0.56, "rank": 0, "status": "selected"}],
    "sequences": [{"node": 1, "token_ids": [318], "text": " is", "score": -0.58, "cum_logprob": -0.58}]})");
  const Session s = session_from_json(j, "min.json");
  ASSERT_EQ(s.tree.size(), 2);
  EXPECT_EQ(s.tree.node(0).children, (std::vector<int>{1}));
  EXPECT_EQ(s.tree.node(1).token_id, 318);
  EXPECT_EQ(s.tree.node(1).status, NodeStatus::Selected);
  EXPECT_EQ(s.tree.sequences.at(0).token_ids, (std::vector<std::int32_t>{318}));
}

TEST(Session, HostileFilesAreOneSentenceErrorsNamingTheFile) {
  const std::string ok_root = R"({"id":0,"parent":null,"step":0,"status":"root"})";
  auto with_nodes = [&](const std::string& nodes) {
    return R"({"format":"beamscope-tree","version":1,"nodes":[)" + nodes + "]}";
  };
  EXPECT_NE(load_error("{not json").find("hostile.json is not valid JSON"), std::string::npos);
  // A number past a double's range is nlohmann's out_of_range, not a parse
  // error; it must be refused the same way (found by fuzzing).
  EXPECT_NE(load_error(R"({"format":"beamscope-tree","version":1e999})")
                .find("hostile.json is not valid JSON (number overflow"),
            std::string::npos);
  EXPECT_NE(load_error("[1,2]").find("hostile.json"), std::string::npos);
  EXPECT_NE(load_error(R"({"format":"other","version":1})").find("not a Beamscope tree file"),
            std::string::npos);
  EXPECT_NE(load_error(R"({"format":"beamscope-tree","version":"1"})").find("version"),
            std::string::npos);
  EXPECT_NE(load_error(with_nodes("")).find("empty"), std::string::npos);
  // A parent that is not an earlier node (cycles, forward references).
  EXPECT_NE(
      load_error(
          with_nodes(ok_root + R"(,{"id":1,"parent":1,"step":1,"token_id":3,"status":"selected"})"))
          .find("not an earlier node"),
      std::string::npos);
  EXPECT_NE(
      load_error(
          with_nodes(ok_root + R"(,{"id":5,"parent":0,"step":1,"token_id":3,"status":"selected"})"))
          .find("ids must be"),
      std::string::npos);
  EXPECT_NE(load_error(with_nodes(ok_root +
                                  R"(,{"id":1,"parent":0,"step":1,"token_id":3,"status":"weird"})"))
                .find("unknown status"),
            std::string::npos);
  EXPECT_NE(
      load_error(
          with_nodes(
              ok_root +
              R"(,{"id":1,"parent":0,"step":1,"token_id":3,"logprob":"x","status":"selected"})"))
          .find("logprob"),
      std::string::npos);
  EXPECT_NE(load_error(R"({"format":"beamscope-tree","version":1,"nodes":[)" + ok_root +
                       R"(],"sequences":[{"node":9}]})")
                .find("does not exist"),
            std::string::npos);
  // Every message is one line ending in a full stop and names the file.
  const std::string e = load_error(
      with_nodes(ok_root + R"(,{"id":1,"parent":0,"step":4,"token_id":3,"status":"selected"})"));
  EXPECT_EQ(e.find('\n'), std::string::npos);
  EXPECT_EQ(e.back(), '.');
  EXPECT_EQ(e.rfind("hostile.json", 0), 0u);
}

TEST(Session, SaveReplacesAtomically) {
  const auto path = temp_path("atomic.json");
  write_text(path, "old");
  const Session s = make_session(DecodeParams{});
  save_session(s, path);
  EXPECT_TRUE(load_session(path) == s);
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST(Session, EveryTableParameterRoundTrips) {
  const DecodeParams all = every_param_changed();
  Session s = make_session(DecodeParams{});
  s.params = all;  // the tree need not match: the codec must carry each value
  const json j = session_to_json(s);
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    EXPECT_TRUE(j["params"].contains(std::string(spec.name))) << spec.name;
    // Each parameter alone, so one that is lost cannot hide behind another.
    DecodeParams one;
    set_other_value(spec, one);
    s.params = one;
    EXPECT_TRUE(session_from_json(session_to_json(s), "one.json").params == one) << spec.name;
  }
  s.params = all;
  EXPECT_TRUE(session_from_json(j, "all.json").params == all);
  // HF's spellings where HF has the argument.
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    if (!spec.hf_name.empty()) {
      EXPECT_EQ(spec.hf_name, spec.name);
    }
  }
}

TEST(Session, FilesFromEarlierVersionsLoadUnchanged) {
  // Written by `beamscope-cli decode` before the parameter table existed.
  for (const char* name : {"cli_beam.json", "cli_sample.json"}) {
    const std::filesystem::path file =
        std::filesystem::path(BEAMSCOPE_SOURCE_DIR) / "tests/fuzz/corpus/session" / name;
    std::ifstream in(file);
    const json old = json::parse(in);
    const json again = session_to_json(session_from_json(old, name));
    for (const auto& [key, value] : old["params"].items()) {
      EXPECT_EQ(again["params"][key], value) << name << " " << key;
    }
    EXPECT_EQ(again["prompt"], old["prompt"]) << name;
    EXPECT_EQ(again["model"], old["model"]) << name;
    EXPECT_EQ(again["sequences"], old["sequences"]) << name;
    ASSERT_EQ(again["nodes"].size(), old["nodes"].size()) << name;
    for (std::size_t i = 0; i < old["nodes"].size(); ++i) {
      for (const auto& [key, value] : old["nodes"][i].items()) {
        if (key == "reason") continue;  // its wording may change; the codec keeps the rest
        EXPECT_EQ(again["nodes"][i][key], value) << name << " node " << i << " " << key;
      }
    }
  }
}
