#include "io/params_json.h"

#include <type_traits>

#include "decoding/decode_param_spec.h"
#include "io/json_values.h"

namespace beamscope {

using nlohmann::json;

json params_to_json(const DecodeParams& params) {
  json j = json::object();
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    const std::string key(spec.name);
    std::visit(
        [&](auto member) {
          const auto& value = params.*member;
          using M = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<M, double>) {
            j[key] = number_to_json(value);  // inf and nan as strings, losslessly
          } else if constexpr (std::is_same_v<M, EarlyStopping>) {
            // HF's form: True, False or "never".
            if (value == EarlyStopping::Never) {
              j[key] = "never";
            } else {
              j[key] = value == EarlyStopping::True;
            }
          } else if constexpr (std::is_enum_v<M>) {
            j[key] = std::string(to_string(value));
          } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
            if (!value.empty()) j[key] = value;  // only a custom order has stages
          } else {
            j[key] = value;
          }
        },
        spec.field);
  }
  return j;
}

DecodeParams params_from_json(const JsonObjectReader& r) {
  DecodeParams p;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    const std::string key(spec.name);
    if (!r.has(key.c_str())) continue;
    std::visit(
        [&](auto member) {
          auto& value = p.*member;
          using M = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<M, double>) {
            value = r.number(key.c_str(), value);
          } else if constexpr (std::is_same_v<M, int>) {
            value = r.int32(key.c_str(), value);
          } else if constexpr (std::is_same_v<M, std::uint64_t>) {
            value = r.uint64(key.c_str(), value);
          } else if constexpr (std::is_same_v<M, EarlyStopping>) {
            const json& e = r.at(key.c_str());
            if (e.is_boolean()) {
              value = e.get<bool>() ? EarlyStopping::True : EarlyStopping::False;
            } else if (!e.is_string() || !set_param_text(spec, e.get<std::string>(), p)) {
              r.fail(r.where() + " has an invalid \"" + key + "\" (use true, false or \"never\")");
            }
          } else if constexpr (std::is_enum_v<M>) {
            const std::string name = r.string(key.c_str(), "");
            if (!set_param_text(spec, name, p)) {
              r.fail(r.where() + " has an unknown " + key + " \"" + name + "\"");
            }
          } else {
            value = r.strings(key.c_str());
          }
        },
        spec.field);
  }
  return p;
}

}  // namespace beamscope
