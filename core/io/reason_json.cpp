#include "io/reason_json.h"

#include <limits>

#include <nlohmann/json.hpp>

#include "io/json_values.h"

namespace beamscope {

using nlohmann::json;

namespace {

// The integer fields, by their JSON names.
struct IntField {
  const char* name;
  int NodeReason::*field;
};
constexpr IntField kIntFields[] = {
    {"listed", &NodeReason::listed},
    {"pool_rank", &NodeReason::pool_rank},
    {"pool_size", &NodeReason::pool_size},
    {"beam", &NodeReason::beam},
    {"num_beams", &NodeReason::num_beams},
    {"length", &NodeReason::length},
    {"dropped_at_step", &NodeReason::dropped_at_step},
    {"answer", &NodeReason::answer},
};

struct NumberField {
  const char* name;
  double NodeReason::*field;
};
constexpr NumberField kNumberFields[] = {
    {"sum", &NodeReason::sum},
    {"length_penalty", &NodeReason::length_penalty},
    {"score", &NodeReason::score},
};

}  // namespace

void put_reason(json& node, const NodeReason& reason) {
  if (reason.code == ReasonCode::None) {
    if (!reason.legacy_text.empty()) node["reason"] = reason.legacy_text;
    return;
  }
  node["reason"] = describe_reason(reason);
  json data;
  data["code"] = std::string(to_string(reason.code));
  if (reason.stop != StopCause::None) data["stop"] = std::string(to_string(reason.stop));
  for (const IntField& f : kIntFields) {
    if (reason.*f.field != 0) data[f.name] = reason.*f.field;
  }
  for (const NumberField& f : kNumberFields) {
    if (!(reason.*f.field == 0.0)) data[f.name] = number_to_json(reason.*f.field);
  }
  node["reason_data"] = std::move(data);
}

NodeReason read_reason(const json* data, std::string text,
                       const std::function<void(const std::string&)>& fail) {
  NodeReason reason;
  if (data == nullptr) {
    reason.legacy_text = std::move(text);
    return reason;
  }
  if (!data->is_object()) fail("a \"reason_data\" that is not an object");
  const auto name_at = [&](const char* key) -> std::string {
    const json& v = data->at(key);
    if (!v.is_string()) fail("a non-string \"reason_data\" \"" + std::string(key) + "\"");
    return v.get<std::string>();
  };
  if (!data->contains("code")) fail("a \"reason_data\" without a \"code\"");
  const std::string code = name_at("code");
  if (auto c = parse_reason_code(code)) {
    reason.code = *c;
  } else {
    fail("an unknown reason code \"" + code + "\"");
  }
  if (data->contains("stop")) {
    const std::string stop = name_at("stop");
    if (auto s = parse_stop_cause(stop)) {
      reason.stop = *s;
    } else {
      fail("an unknown reason stop \"" + stop + "\"");
    }
  }
  for (const IntField& f : kIntFields) {
    if (!data->contains(f.name)) continue;
    const json& v = data->at(f.name);
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() && v.get<unsigned long long>() > std::numeric_limits<int>::max()) ||
        (!v.is_number_unsigned() && (v.get<long long>() < std::numeric_limits<int>::min() ||
                                     v.get<long long>() > std::numeric_limits<int>::max()))) {
      fail("a \"reason_data\" \"" + std::string(f.name) + "\" that is not a 32-bit integer");
    }
    reason.*f.field = v.get<int>();
  }
  for (const NumberField& f : kNumberFields) {
    if (!data->contains(f.name)) continue;
    if (!number_from_json(data->at(f.name), reason.*f.field))
      fail("an invalid \"reason_data\" number \"" + std::string(f.name) + "\"");
  }
  return reason;
}

}  // namespace beamscope
