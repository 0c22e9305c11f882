#pragma once

#include <QByteArray>
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

// Saved parameters, or `fallback` for anything not saved yet, no longer
// parsing or out of range. Every entry of the parameter table is kept.
DecodeParams params(const DecodeParams& fallback);
void setParams(const DecodeParams& params);

// The strategy preset as its index (ui::StrategyPreset), -1 if never saved.
int preset();
void setPreset(int preset);

// Most recent first, at most kMaxRecent, only models that still exist: model
// folders, Hub cache snapshots and GGUF files.
inline constexpr int kMaxRecent = 8;
QStringList recentModels();
void addRecentModel(const QString& folder);
// The model loaded last, whether or not it is still there ("" if none).
QString lastUsedModel();

// Session files opened or saved, most recent first, at most kMaxRecent. Kept
// as written (a file on a drive that is away is still listed); the File ›
// Open Recent menu drops the ones that are gone when it shows them.
QStringList recentSessions();
void addRecentSession(const QString& file);
void removeRecentSession(const QString& file);

// Folders the user added to File › Models on This Computer (that still exist).
QStringList modelFolders();
void addModelFolder(const QString& folder);

// The window's geometry and dock layout (QMainWindow::saveGeometry/saveState).
QByteArray windowGeometry();
void setWindowGeometry(const QByteArray& geometry);
QByteArray windowState();
void setWindowState(const QByteArray& state);
// View › Show Log-Probabilities.
bool logProbView();
void setLogProbView(bool on);
// Where the folder, export and PNG-scale dialogs start.
QString lastModelDir();
void setLastModelDir(const QString& folder);
QString lastExportPath();
void setLastExportPath(const QString& path);
double exportScale();  // 2 the first time
void setExportScale(double scale);

// From now on this process reads and writes a private copy of the saved
// settings (in a temporary folder that goes with the process), so that what
// the command line set for one run is never saved as the user's settings.
void useScratchCopy();

}  // namespace settings
}  // namespace beamscope::ui
