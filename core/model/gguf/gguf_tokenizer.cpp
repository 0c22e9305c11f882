// The tokenizer a GGUF file carries (tokenizer.ggml.*), assembled from the
// Hugging Face pipeline parts core/tokenizer/ already has, described as the
// tokenizer.json a Hugging Face conversion of the same model would hold:
//   - "gpt2": byte-level BPE (tokens spelled in GPT-2's byte alphabet, merges
//     "a b" in rank order); the split pattern is chosen by tokenizer.ggml.pre
//     as llama.cpp's vocabulary code maps it (GPT-2's own, Llama 3's, Qwen 2's,
//     or single digits first for SmolLM / StarCoder).
//   - "llama": SentencePiece BPE. GGUF keeps the pieces' scores instead of
//     merges; SentencePiece merges, at every step, the adjacent pair whose
//     joined piece scores highest, which is BPE with one merge per way of
//     splitting a piece into two pieces, ranked by the joined piece's score
//     (how Hugging Face's converter derives Llama's merges). "▁" for spaces,
//     a "▁" in front of the text, <0xNN> byte pieces for unknown characters.
// Control (type 3) and user-defined (type 4) tokens are matched literally as
// added tokens; BOS / EOS are put around the text per add_bos_token /
// add_eos_token.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <unordered_map>

#include "model/gguf/gguf_model.h"
#include "tokenizer/decoder.h"
#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/normalizer.h"
#include "tokenizer/post_processor.h"
#include "tokenizer/pre_tokenizer.h"
#include "tokenizer/token_model.h"

namespace beamscope {

namespace {

using json = nlohmann::json;

constexpr std::int64_t kControl = 3, kUserDefined = 4;

const char* const kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char* const kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

json split(const char* pattern) {
  return {{"type", "Split"},
          {"pattern", {{"Regex", pattern}}},
          {"behavior", "Isolated"},
          {"invert", false}};
}
json byte_level(bool use_regex) {
  return {{"type", "ByteLevel"},
          {"add_prefix_space", false},
          {"trim_offsets", false},
          {"use_regex", use_regex}};
}

// The pre-tokenizer llama.cpp uses for `pre` (and whether merges are skipped
// for words that are whole tokens, as llama.cpp does for Llama 3).
json gpt2_pre_tokenizer(const GgufFile& f, const std::string& pre, bool& ignore_merges) {
  ignore_merges = false;
  if (pre.empty() || pre == "default" || pre == "gpt2" || pre == "gpt-2" || pre == "olmo" ||
      pre == "phi-2")
    return byte_level(true);
  if (pre == "llama3" || pre == "llama-v3" || pre == "llama-bpe" || pre == "smaug-bpe" ||
      pre == "falcon3") {
    ignore_merges = true;
    return {{"type", "Sequence"}, {"pretokenizers", {split(kLlama3Pattern), byte_level(false)}}};
  }
  if (pre == "qwen2" || pre == "deepseek-r1-qwen" || pre == "megrez")
    return {{"type", "Sequence"}, {"pretokenizers", {split(kQwen2Pattern), byte_level(false)}}};
  if (pre == "smollm" || pre == "starcoder" || pre == "refact")
    return {
        {"type", "Sequence"},
        {"pretokenizers", {{{"type", "Digits"}, {"individual_digits", true}}, byte_level(true)}}};
  f.fail("uses the pre-tokenizer '" + pre +
         "' (tokenizer.ggml.pre), which is not supported (supported: default, gpt2, llama-bpe, "
         "qwen2, smollm)");
}

std::optional<std::int32_t> special_id(const GgufFile& f, const char* key, std::size_t n) {
  const auto v = f.integer(key);
  if (!v) return std::nullopt;
  if (*v < 0 || static_cast<std::uint64_t>(*v) >= n)
    f.fail("has " + std::string(key) + " = " + std::to_string(*v) + ", outside the vocabulary of " +
           std::to_string(n) + " tokens");
  return static_cast<std::int32_t>(*v);
}

// Merges for a score-ranked SentencePiece vocabulary: every (a, b) of normal
// pieces whose concatenation is a normal piece, highest joined score first
// (ties: the joined piece's id, then the split point).
json merges_from_scores(const std::vector<std::string_view>& tokens,
                        const std::vector<double>& scores, const std::vector<bool>& normal) {
  std::unordered_map<std::string_view, std::size_t> id;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (normal[i]) id.emplace(tokens[i], i);
  struct Merge {
    double score;
    std::size_t joined;
    std::size_t cut;
  };
  std::vector<Merge> merges;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!normal[i]) continue;
    const std::string_view t = tokens[i];
    for (std::size_t cut = 1; cut < t.size(); ++cut)
      if (id.count(t.substr(0, cut)) && id.count(t.substr(cut)))
        merges.push_back({scores[i], i, cut});
  }
  std::sort(merges.begin(), merges.end(), [](const Merge& a, const Merge& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.joined != b.joined ? a.joined < b.joined : a.cut < b.cut;
  });
  json out = json::array();
  for (const Merge& m : merges) {
    const std::string_view t = tokens[m.joined];
    out.push_back(json::array({std::string(t.substr(0, m.cut)), std::string(t.substr(m.cut))}));
  }
  return out;
}

}  // namespace

std::unique_ptr<Tokenizer> gguf_tokenizer(const GgufFile& f) {
  const auto model = f.string("tokenizer.ggml.model");
  if (!model) f.fail("has no tokenizer (tokenizer.ggml.model is missing)");
  const bool gpt2 = *model == "gpt2", llama = *model == "llama";
  if (!gpt2 && !llama)
    f.fail("has a '" + *model +
           "' tokenizer (tokenizer.ggml.model); only gpt2 and llama are supported");
  const auto tokens = f.strings("tokenizer.ggml.tokens");
  if (!tokens || tokens->empty()) f.fail("has no tokenizer.ggml.tokens");
  const std::size_t n = tokens->size();
  std::vector<std::int64_t> types =
      f.integers("tokenizer.ggml.token_type").value_or(std::vector<std::int64_t>(n, 1));
  if (types.size() != n)
    f.fail("has " + std::to_string(types.size()) + " token types for " + std::to_string(n) +
           " tokens");
  const std::string where = f.name() + ": tokenizer";

  HfTokenizer::Parts parts;
  parts.source = f.name();
  std::vector<bool> normal(n);
  for (std::size_t i = 0; i < n; ++i) {
    normal[i] = types[i] != kControl && types[i] != kUserDefined;
    if (!normal[i]) {
      AddedToken t;
      t.id = static_cast<std::int32_t>(i);
      t.content = std::string((*tokens)[i]);
      t.special = types[i] == kControl;
      parts.added_tokens.push_back(std::move(t));
    }
  }
  json vocab = json::object();
  for (std::size_t i = 0; i < n; ++i) vocab.emplace(std::string((*tokens)[i]), i);
  json bpe = {{"type", "BPE"}, {"vocab", std::move(vocab)}};
  const auto unk = special_id(f, "tokenizer.ggml.unknown_token_id", n);

  if (gpt2) {
    const auto merges = f.strings("tokenizer.ggml.merges");
    if (!merges) f.fail("has a gpt2 tokenizer without tokenizer.ggml.merges");
    json list = json::array();
    for (std::string_view m : *merges) list.push_back(std::string(m));
    bpe["merges"] = std::move(list);
    bool ignore_merges = false;
    parts.pre_tokenizer = hf::read_pre_tokenizer(
        gpt2_pre_tokenizer(f, f.string("tokenizer.ggml.pre").value_or("default"), ignore_merges),
        where);
    bpe["ignore_merges"] = ignore_merges;
    parts.decoder = hf::read_byte_level_decoder();
  } else {
    const auto scores = f.reals("tokenizer.ggml.scores");
    if (!scores || scores->size() != n)
      f.fail("has a llama tokenizer without one tokenizer.ggml.scores entry per token");
    bpe["merges"] = merges_from_scores(*tokens, *scores, normal);
    bpe["byte_fallback"] = true;
    bpe["fuse_unk"] = true;
    if (unk) bpe["unk_token"] = std::string((*tokens)[static_cast<std::size_t>(*unk)]);
    const std::string space = "\xE2\x96\x81";
    json normalizers = json::array();
    if (f.boolean("tokenizer.ggml.add_space_prefix").value_or(true))
      normalizers.push_back({{"type", "Prepend"}, {"prepend", space}});
    normalizers.push_back(
        {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", space}});
    parts.normalizer =
        hf::read_normalizer({{"type", "Sequence"}, {"normalizers", normalizers}}, where);
    parts.decoder = hf::read_decoder(
        {{"type", "Sequence"},
         {"decoders",
          {{{"type", "Replace"}, {"pattern", {{"String", space}}}, {"content", " "}},
           {{"type", "ByteFallback"}},
           {{"type", "Fuse"}},
           {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}}}},
        where);
  }
  parts.model = hf::read_token_model(bpe, where + ".model", nullptr);

  std::vector<std::int32_t> before, after;
  const auto bos = special_id(f, "tokenizer.ggml.bos_token_id", n);
  const auto eos = special_id(f, "tokenizer.ggml.eos_token_id", n);
  // llama.cpp's defaults: SentencePiece vocabularies add BOS, byte-level ones do not.
  if (bos && f.boolean("tokenizer.ggml.add_bos_token").value_or(llama)) before.push_back(*bos);
  if (eos && f.boolean("tokenizer.ggml.add_eos_token").value_or(false)) after.push_back(*eos);
  if (!before.empty() || !after.empty())
    parts.post_processor = hf::make_surrounding_processor(std::move(before), std::move(after));
  return std::make_unique<HfTokenizer>(std::move(parts));
}

}  // namespace beamscope
