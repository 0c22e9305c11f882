#pragma once

#include <map>
#include <mutex>

#include "remote/remote_server.h"
#include "tokenizer/tokenizer.h"

namespace beamscope::remote {

// The server's own tokenizer, through its /tokenize and /detokenize (llama.cpp:
// {"content"} / {"tokens"} -> {"tokens"} / {"content"}; vLLM: {"model",
// "prompt"} -> {"tokens"} and {"model", "tokens"} -> {"prompt"}), for when
// no local tokenizer folder is given. It needs the vocabulary size from the
// server (llama.cpp reports n_vocab). A token's text is what /detokenize
// gives for it alone (asked once per id, then kept): a byte piece of a
// multi-byte character shows as U+FFFD there.
class ServerTokenizer final : public Tokenizer {
 public:
  ServerTokenizer(RemoteOptions options, ServerInfo server);

  std::vector<std::int32_t> encode(std::string_view text,
                                   bool add_special_tokens = true) const override;
  std::string decode(std::span<const std::int32_t> ids) const override;
  std::string token_bytes(std::int32_t id) const override;
  int vocab_size() const override { return server_.vocab_size; }
  std::optional<std::int32_t> token_id(std::string_view token_text) const override;

 private:
  RemoteOptions options_;
  ServerInfo server_;
  mutable std::mutex mutex_;
  mutable std::map<std::int32_t, std::string> pieces_;
};

}  // namespace beamscope::remote
