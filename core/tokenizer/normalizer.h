#pragma once

#include <memory>
#include <string>

#include "tokenizer/hf_json.h"

namespace beamscope::hf {

// A tokenizer.json "normalizer": rewrites the text before it is split (HF
// normalizes each stretch of text between added tokens separately).
class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(std::string& text) const = 0;
};

// Reads any supported normalizer; `where` is e.g. "tokenizer.json: normalizer".
std::unique_ptr<Normalizer> read_normalizer(const json& part, const std::string& where);

// One reader per type (each in the file named after it).
std::unique_ptr<Normalizer> read_unicode_form_normalizer(const std::string& type);  // NFC..NFKD
std::unique_ptr<Normalizer> read_strip_accents_normalizer();
std::unique_ptr<Normalizer> read_lowercase_normalizer();
std::unique_ptr<Normalizer> read_strip_normalizer(const json& part, const std::string& where);
std::unique_ptr<Normalizer> read_prepend_normalizer(const json& part, const std::string& where);
std::unique_ptr<Normalizer> read_replace_normalizer(const json& part, const std::string& where);
std::unique_ptr<Normalizer> read_sequence_normalizer(const json& part, const std::string& where);

}  // namespace beamscope::hf
