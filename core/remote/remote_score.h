#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/text_score.h"
#include "remote/remote_model.h"
#include "tokenizer/tokenizer.h"
#include "util/progress.h"

namespace beamscope::remote {

// What `beamscope-cli score --model URL` reports: the score, and how the
// server gave it.
struct RemoteTextScore {
  TextScore score;
  std::string method;  // "echo", "echo+1", "prompt_logprobs" or "top-n"
  int window = 0;      // most tokens one request reads
  int requests = 0;    // requests sent, the detection's included
};

// Scores a text on a server as score_text() does locally: ids = [EOS] +
// encode(text), every token's log-prob after the tokens before it in its
// window, summed in double. The server's prompt log-probs are used where it
// gives them (prompt_logprobs.h: the ways are tried in order on the first
// three ids); else one request per prefix, and a token is scored only if it
// is among the top N the server lists after its prefix: otherwise one
// sentence says which token's log-prob is unknown (never a wrong number).
//
// Windows: a request's prompt may hold the server's context P (echo with
// max_tokens 0), else P - 1 tokens (room for the one generated token), and
// each window after the first starts at the last token the one before it
// read, so every token is scored once. A text within one window is scored
// exactly as locally; a longer one sees one token less of context at each
// window's first scored token than local windows of P.
RemoteTextScore score_text_on_server(RemoteModel& model, const Tokenizer& tokenizer,
                                     std::int32_t eos_id, std::string_view text,
                                     const ProgressFn& progress = {});

}  // namespace beamscope::remote
