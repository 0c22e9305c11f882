#pragma once

#include <QString>
#include <QStringList>

#include "decoding/decode_params.h"

namespace beamscope::ui {

// What Beamscope remembers between runs (QSettings: organisation and
// application name set by the app's main): last prompt, parameters, recent
// model folders.
namespace settings {

QString prompt(const QString& fallback);
void setPrompt(const QString& prompt);

// Saved parameters, or `fallback` for anything not saved yet.
DecodeParams params(const DecodeParams& fallback);
void setParams(const DecodeParams& params);

// The strategy preset as its index (ui::StrategyPreset), -1 if never saved.
int preset();
void setPreset(int preset);

// Most recent first, at most kMaxRecent, only folders that still exist.
inline constexpr int kMaxRecent = 8;
QStringList recentModels();
void addRecentModel(const QString& folder);

}  // namespace settings
}  // namespace beamscope::ui
