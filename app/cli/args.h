#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace beamscope::cli {

// `--name value` options of one subcommand. Every lookup is checked: a value
// that does not parse, or an option the command does not know, is a
// beamscope::Error with a one-sentence message.
class Args {
 public:
  // `known` lists the option names (without "--") the command accepts;
  // `flags` the ones that take no value.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& known,
       const std::set<std::string>& flags = {});

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  std::string get_or(const std::string& name, std::string fallback) const;
  int get_int(const std::string& name, int fallback) const;
  double get_double(const std::string& name, double fallback) const;
  unsigned long long get_u64(const std::string& name, unsigned long long fallback) const;
  // true/false/1/0/yes/no
  bool get_bool(const std::string& name, bool fallback) const;

 private:
  std::map<std::string, std::string> values_;
};

// "1,2,3" -> {1,2,3}; error names the option.
std::vector<int> parse_int_list(std::string_view text, std::string_view option);

}  // namespace beamscope::cli
