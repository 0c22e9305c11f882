#include "tokenizer/hf_tokenizer.h"

#include <unordered_set>

#include "tokenizer/unicode_text.h"
#include "util/error.h"
#include "util/json_text.h"

namespace beamscope {

namespace {

std::string as_json_text(const std::string& s) { return json_value_for_message(nlohmann::json(s)); }

// transformers' clean_up_tokenization: no space before punctuation and
// English contractions, replaced in this order.
std::string clean_up_spaces(std::string text) {
  static const std::pair<const char*, const char*> kRules[] = {
      {" .", "."},     {" ?", "?"},   {" !", "!"},   {" ,", ","},     {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) {
    const std::string_view f(from), t(to);
    std::string out;
    out.reserve(text.size());
    std::size_t previous = 0;
    for (std::size_t pos = text.find(f); pos != std::string::npos; pos = text.find(f, previous)) {
      out.append(text, previous, pos - previous).append(t);
      previous = pos + f.size();
    }
    out.append(text, previous);
    text = std::move(out);
  }
  return text;
}

}  // namespace

HfTokenizer::HfTokenizer(Parts parts) : parts_(std::move(parts)) {
  const std::string& src = parts_.source;
  if (!parts_.model) throw Error(src + " has no model.");
  const hf::ModelVocabulary& vocab = parts_.model->vocabulary();
  std::size_t limit = vocab.id_limit();
  for (const AddedToken& added : parts_.added_tokens) {
    if (added.id < 0 || added.id > hf::kMaxTokenId) {
      throw Error(src + ": added token " + as_json_text(added.content) +
                  " has an id out of range.");
    }
    limit = std::max(limit, static_cast<std::size_t>(added.id) + 1);
  }
  if (limit > 2 * (vocab.size() + parts_.added_tokens.size()) + 1024) {
    throw Error(src + ": the added tokens' ids are too sparse.");
  }
  spellings_.assign(limit, nullptr);
  added_kind_.assign(limit, 0);
  for (std::size_t id = 0; id < vocab.id_limit(); ++id) {
    spellings_[id] = vocab.token(static_cast<std::int32_t>(id));
  }
  // Reserved up front: spellings_ and `contents` point into it.
  added_contents_.reserve(parts_.added_tokens.size());
  std::vector<AddedToken> matched = parts_.added_tokens;
  std::unordered_set<std::string_view> contents;
  for (AddedToken& added : matched) {
    if (added.content.empty()) throw Error(src + ": an added token has empty content.");
    if (added_kind_[static_cast<std::size_t>(added.id)] != 0) {
      throw Error(src + ": id " + std::to_string(added.id) + " is given to both added tokens " +
                  as_json_text(*spellings_[static_cast<std::size_t>(added.id)]) + " and " +
                  as_json_text(added.content) + ".");
    }
    // Real files list most special tokens in the vocabulary too, with the
    // same id; a different token at the id would make decoding ambiguous.
    if (const std::string* model_token = vocab.token(added.id);
        model_token != nullptr && *model_token != added.content) {
      throw Error(src + ": added token " + as_json_text(added.content) + " has id " +
                  std::to_string(added.id) + ", which the vocabulary gives to " +
                  as_json_text(*model_token) + ".");
    }
    added_contents_.push_back(added.content);
    if (!contents.insert(added_contents_.back()).second) {
      throw Error(src + ": added token " + as_json_text(added.content) + " is listed twice.");
    }
    added_kind_[static_cast<std::size_t>(added.id)] = added.special ? 2 : 1;
    spellings_[static_cast<std::size_t>(added.id)] = &added_contents_.back();
    // HF matches a normalized=true token by its normalized content.
    if (added.normalized && parts_.normalizer) {
      added.content = unicode::to_valid_utf8(added.content);
      parts_.normalizer->normalize(added.content);
      if (added.content.empty()) {
        throw Error(src + ": added token " + as_json_text(added_contents_.back()) +
                    " normalizes to nothing.");
      }
    }
  }
  if (parts_.post_processor) {
    for (std::int32_t id : parts_.post_processor->ids_used()) {
      if (id < 0 || static_cast<std::size_t>(id) >= limit || spellings_[id] == nullptr) {
        throw Error(src + ": the post-processor adds token id " + std::to_string(id) +
                    ", which the vocabulary does not have.");
      }
    }
  }
  added_ = std::make_unique<AddedTokenMatcher>(std::move(matched));
}

std::vector<std::int32_t> HfTokenizer::encode(std::string_view input,
                                              bool add_special_tokens) const {
  const std::string text = unicode::to_valid_utf8(input);
  std::vector<std::int32_t> ids;
  ids.reserve(text.size() / 3 + 4);
  const auto push = [&](std::int32_t id) { ids.push_back(id); };
  added_->split_unnormalized(
      text,
      [&](std::string_view raw) {
        const bool raw_at_start = raw.data() == text.data();
        std::string normalized(raw);
        if (parts_.normalizer) parts_.normalizer->normalize(normalized);
        added_->split_normalized(
            normalized,
            [&](std::string_view stretch) {
              encode_stretch(stretch, raw_at_start && stretch.data() == normalized.data(), ids);
            },
            push);
      },
      push);
  if (add_special_tokens && parts_.post_processor) {
    parts_.post_processor->add_special_tokens(ids);
  }
  return ids;
}

void HfTokenizer::encode_stretch(std::string_view text, bool at_start,
                                 std::vector<std::int32_t>& ids) const {
  std::vector<hf::PreToken> pieces;
  pieces.push_back({std::string(text), at_start});
  if (parts_.pre_tokenizer) parts_.pre_tokenizer->pre_tokenize(pieces);
  for (const hf::PreToken& piece : pieces) {
    if (!piece.text.empty()) parts_.model->tokenize(piece.text, ids);
  }
}

const std::string& HfTokenizer::spelling(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= spellings_.size()) {
    throw Error("Token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                std::to_string(spellings_.size() - 1) + ").");
  }
  const std::string* s = spellings_[static_cast<std::size_t>(id)];
  if (s == nullptr)
    throw Error("Token id " + std::to_string(id) + " is unused in this vocabulary.");
  return *s;
}

bool HfTokenizer::is_special(std::int32_t id) const {
  (void)spelling(id);
  return added_kind_[static_cast<std::size_t>(id)] == 2;
}

std::optional<std::int32_t> HfTokenizer::token_id(std::string_view token_text) const {
  for (std::size_t i = 0; i < parts_.added_tokens.size(); ++i) {
    if (added_contents_[i] == token_text) return parts_.added_tokens[i].id;
  }
  return parts_.model->vocabulary().find(token_text);
}

std::string HfTokenizer::decode_tokens(std::vector<std::string> tokens,
                                       hf::DecodeContext context) const {
  if (!parts_.decoder) {
    // HF joins the token strings with spaces when there is no decoder.
    std::string text = context.at_text_start ? "" : " ";
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i > 0) text += ' ';
      text += tokens[i];
    }
    return text;
  }
  parts_.decoder->decode_chain(tokens, context);
  std::string text;
  for (const std::string& token : tokens) text += token;
  return text;
}

std::string HfTokenizer::decode(std::span<const std::int32_t> ids) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (std::int32_t id : ids) tokens.push_back(spelling(id));
  std::string text = decode_tokens(std::move(tokens), hf::DecodeContext{});
  return parts_.clean_up_spaces ? clean_up_spaces(std::move(text)) : text;
}

std::string HfTokenizer::token_bytes(std::int32_t id) const {
  // Added tokens go through the decoder too, as in HF's decode.
  return decode_tokens({spelling(id)},
                       hf::DecodeContext{.at_text_start = false, .at_text_end = false});
}

}  // namespace beamscope
