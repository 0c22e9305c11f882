// TemplateProcessing for one sequence: "single" lists the special tokens and
// where the text ($A) goes; "special_tokens" gives each special token's ids.
#include "tokenizer/post_processor.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope::hf {

namespace {

// The ids of the special token `name` from the "special_tokens" map.
std::vector<std::int32_t> special_ids(const json& part, const std::string& name,
                                      const std::string& where) {
  const json& specials = member(part, "special_tokens", where);
  if (!specials.is_object()) throw Error(where + ".special_tokens must be an object.");
  auto it = specials.find(name);
  if (it == specials.end()) {
    throw Error(where + ".single uses " + json_value_for_message(json(name)) +
                ", which special_tokens does not define.");
  }
  const std::string place = where + ".special_tokens[" + json_value_for_message(json(name)) + "]";
  if (!it->is_object()) throw Error(place + " must be an object.");
  const json& ids = array_member(*it, "ids", place);
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out.push_back(token_id_value(ids[i], place + ".ids[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace

std::unique_ptr<PostProcessor> read_template_processing(const json& part,
                                                        const std::string& where) {
  const json& single = member(part, "single", where);
  // Items as objects ({"SpecialToken": {"id": "<s>"}}, {"Sequence": {"id":
  // "A"}}) or, in older files, one string ("<s> $A" with optional ":1" type ids).
  std::vector<std::string> items;
  std::vector<bool> is_sequence;
  if (single.is_string()) {
    const std::string& text = single.get_ref<const std::string&>();
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t space = std::min(text.find(' ', pos), text.size());
      std::string item = text.substr(pos, space - pos);
      pos = space + 1;
      if (item.empty()) continue;
      const std::size_t colon = item.rfind(':');
      if (colon != std::string::npos && colon > 0) item.resize(colon);
      const bool sequence = item == "$" || item == "$A" || item == "$0";
      if (item.starts_with('$') && !sequence) {
        throw Error(where + ".single uses " + json_value_for_message(json(item)) +
                    "; a single sequence is $A.");
      }
      items.push_back(item);
      is_sequence.push_back(sequence);
    }
  } else if (single.is_array()) {
    for (std::size_t i = 0; i < single.size(); ++i) {
      const std::string place = where + ".single[" + std::to_string(i) + "]";
      const json& item = single[i];
      if (!item.is_object() || item.size() != 1) {
        throw Error(place + " must be {\"SpecialToken\": ...} or {\"Sequence\": ...}.");
      }
      const auto first = item.begin();  // an object iterator: key() and value()
      const std::string& kind = first.key();
      const json& body = first.value();
      if (kind != "SpecialToken" && kind != "Sequence") {
        throw Error(place + " must be {\"SpecialToken\": ...} or {\"Sequence\": ...}.");
      }
      if (!body.is_object()) throw Error(place + "." + kind + " must be an object.");
      items.push_back(kind == "Sequence" ? "$A" : required_string(body, "id", place + "." + kind));
      is_sequence.push_back(kind == "Sequence");
    }
  } else {
    throw Error(where + ".single must be an array or a string.");
  }
  std::vector<std::int32_t> before, after;
  bool seen_sequence = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (is_sequence[i]) {
      if (seen_sequence) throw Error(where + ".single places the text twice.");
      seen_sequence = true;
      continue;
    }
    const auto ids = special_ids(part, items[i], where);
    auto& side = seen_sequence ? after : before;
    side.insert(side.end(), ids.begin(), ids.end());
  }
  if (!seen_sequence) throw Error(where + ".single does not place the text ($A).");
  return make_surrounding_processor(std::move(before), std::move(after));
}

}  // namespace beamscope::hf
