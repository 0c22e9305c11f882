#pragma once

#include <QMetaType>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "decoding/decode_params.h"
#include "decoding/token_tree.h"
#include "model/model_info.h"

namespace beamscope::ui {

// An immutable tree snapshot: the worker hands these to the GUI thread, which
// may keep them as long as it likes while the worker goes on.
using TreeSnapshot = std::shared_ptr<const TokenTree>;

// A finished or partial run, delivered to the GUI thread.
struct DecodeOutcome {
  quint64 request = 0;
  TreeSnapshot tree;
  std::vector<std::int32_t> prompt_ids;
  QString prompt_text;
  DecodeParams params;
  int step = 0;           // last step reported
  bool finished = false;  // false = a live snapshot of a running decode
  bool cancelled = false;
  bool capped = false;  // stopped at params.max_nodes (see DecodeResult::capped)
  int model_calls = 0;  // forward passes run (cache misses) in this request
  qint64 elapsed_ms = 0;
};

}  // namespace beamscope::ui

Q_DECLARE_METATYPE(beamscope::ModelInfo)
Q_DECLARE_METATYPE(beamscope::ui::DecodeOutcome)
