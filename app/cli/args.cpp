#include "cli/args.h"

#include <charconv>
#include <cmath>

#include "util/error.h"

namespace beamscope::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& known,
           const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      throw Error("Unexpected argument '" + arg + "'; options look like --name value.");
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (!known.count(name)) throw Error("Unknown option --" + name + " (see --help).");
    if (values_.count(name)) throw Error("Option --" + name + " is given twice.");
    if (flags.count(name)) {
      values_[name] = inline_value.value_or("true");
      continue;
    }
    if (inline_value) {
      values_[name] = *inline_value;
    } else if (i + 1 < argv.size()) {
      values_[name] = argv[++i];
    } else {
      throw Error("Option --" + name + " needs a value.");
    }
  }
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw Error("Option --" + name + " is required.");
  return *v;
}

std::string Args::get_or(const std::string& name, std::string fallback) const {
  return get(name).value_or(std::move(fallback));
}

int Args::get_int(const std::string& name, int fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  int out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    throw Error("Option --" + name + " expects an integer, got '" + *v + "'.");
  }
  return out;
}

unsigned long long Args::get_u64(const std::string& name, unsigned long long fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  unsigned long long out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    throw Error("Option --" + name + " expects a non-negative integer, got '" + *v + "'.");
  }
  return out;
}

double Args::get_double(const std::string& name, double fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  double out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size() || !std::isfinite(out)) {
    throw Error("Option --" + name + " expects a number, got '" + *v + "'.");
  }
  return out;
}

bool Args::get_bool(const std::string& name, bool fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  if (*v == "true" || *v == "1" || *v == "yes") return true;
  if (*v == "false" || *v == "0" || *v == "no") return false;
  throw Error("Option --" + name + " expects true or false, got '" + *v + "'.");
}

std::vector<int> parse_int_list(std::string_view text, std::string_view option) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    int value = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size()) {
      throw Error("Option --" + std::string(option) + " expects comma-separated integers, got '" +
                  std::string(text) + "'.");
    }
    out.push_back(value);
    pos = comma + 1;
  }
  return out;
}

}  // namespace beamscope::cli
