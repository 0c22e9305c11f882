#include "settings_store.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>

#include "decoding/decode_param_spec.h"

namespace beamscope::ui::settings {

QString prompt(const QString& fallback) {
  return QSettings().value(QStringLiteral("run/prompt"), fallback).toString();
}

void setPrompt(const QString& prompt) {
  QSettings().setValue(QStringLiteral("run/prompt"), prompt);
}

// One key per entry of the parameter table, named as the entry; values are
// the entries' text forms ("0.9", "beam"), a custom order a string list.
DecodeParams params(const DecodeParams& fallback) {
  QSettings s;
  s.beginGroup(QStringLiteral("params"));
  DecodeParams d = fallback;
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    const QString key = QString::fromLatin1(spec.name.data(), qsizetype(spec.name.size()));
    if (!s.contains(key)) continue;
    const QVariant value = s.value(key);
    DecodeParams read = d;
    if (spec.type == ParamType::StageList) {
      const QStringList stages = value.toStringList();
      if (stages.isEmpty()) continue;  // nothing saved keeps the fallback's stages
      if (!set_param_text(spec, stages.join(QLatin1Char(',')).toStdString(), read)) continue;
    } else if (!set_param_text(spec, value.toString().toStdString(), read)) {
      continue;  // a value that no longer parses keeps the fallback
    }
    // So does one out of range (a hand-edited file, an older range).
    const bool numeric = spec.type == ParamType::Integer || spec.type == ParamType::Real;
    if (numeric && !param_range_error(spec, param_number(spec, read)).empty()) continue;
    d = std::move(read);
  }
  s.endGroup();
  return d;
}

void setParams(const DecodeParams& d) {
  QSettings s;
  s.beginGroup(QStringLiteral("params"));
  for (const DecodeParamSpec& spec : decode_param_specs()) {
    const QString key = QString::fromLatin1(spec.name.data(), qsizetype(spec.name.size()));
    const QString text = QString::fromStdString(param_text(spec, d));
    if (spec.type == ParamType::StageList) {
      s.setValue(key, text.isEmpty() ? QStringList() : text.split(QLatin1Char(',')));
    } else {
      s.setValue(key, text);
    }
  }
  s.endGroup();
}

int preset() { return QSettings().value(QStringLiteral("run/preset"), -1).toInt(); }

void setPreset(int preset) { QSettings().setValue(QStringLiteral("run/preset"), preset); }

QStringList recentModels() {
  QStringList out;
  for (const QString& f : QSettings().value(QStringLiteral("models/recent")).toStringList()) {
    if (QFileInfo::exists(f) && !out.contains(f)) out << f;
  }
  return out;
}

QString lastUsedModel() {
  const QStringList stored = QSettings().value(QStringLiteral("models/recent")).toStringList();
  return stored.isEmpty() ? QString() : stored.first();
}

void addRecentModel(const QString& folder) {
  const QString path = QDir(folder).absolutePath();
  QStringList list = recentModels();
  list.removeAll(path);
  list.prepend(path);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(QStringLiteral("models/recent"), list);
}

QStringList recentSessions() {
  QStringList out;
  for (const QString& f : QSettings().value(QStringLiteral("sessions/recent")).toStringList()) {
    if (!f.isEmpty() && !out.contains(f)) out << f;
  }
  return out;
}

void addRecentSession(const QString& file) {
  const QString path = QFileInfo(file).absoluteFilePath();
  QStringList list = recentSessions();
  list.removeAll(path);
  list.prepend(path);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(QStringLiteral("sessions/recent"), list);
}

void removeRecentSession(const QString& file) {
  QStringList list = recentSessions();
  list.removeAll(file);
  QSettings().setValue(QStringLiteral("sessions/recent"), list);
}

QStringList modelFolders() {
  QStringList out;
  for (const QString& f : QSettings().value(QStringLiteral("models/folders")).toStringList()) {
    if (QFileInfo(f).isDir() && !out.contains(f)) out << f;
  }
  return out;
}

void addModelFolder(const QString& folder) {
  QStringList list = modelFolders();
  const QString path = QDir(folder).absolutePath();
  if (!list.contains(path)) list << path;
  QSettings().setValue(QStringLiteral("models/folders"), list);
}

QByteArray windowGeometry() {
  return QSettings().value(QStringLiteral("window/geometry")).toByteArray();
}

void setWindowGeometry(const QByteArray& geometry) {
  QSettings().setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray windowState() { return QSettings().value(QStringLiteral("window/state")).toByteArray(); }

void setWindowState(const QByteArray& state) {
  QSettings().setValue(QStringLiteral("window/state"), state);
}

bool logProbView() { return QSettings().value(QStringLiteral("view/logprob"), false).toBool(); }

void setLogProbView(bool on) { QSettings().setValue(QStringLiteral("view/logprob"), on); }

QString lastModelDir() { return QSettings().value(QStringLiteral("models/last-dir")).toString(); }

void setLastModelDir(const QString& folder) {
  QSettings().setValue(QStringLiteral("models/last-dir"), folder);
}

QString lastExportPath() { return QSettings().value(QStringLiteral("export/last")).toString(); }

void setLastExportPath(const QString& path) {
  QSettings().setValue(QStringLiteral("export/last"), path);
}

double exportScale() { return QSettings().value(QStringLiteral("export/scale"), 2.0).toDouble(); }

void setExportScale(double scale) { QSettings().setValue(QStringLiteral("export/scale"), scale); }

void useScratchCopy() {
  // Every QSettings() in the app is default-constructed: pointing the
  // default (INI) location at a temporary folder moves them all at once.
  static QTemporaryDir scratch;
  const QSettings user;
  QSettings::setDefaultFormat(QSettings::IniFormat);
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.path());
  QSettings copy;
  for (const QString& key : user.allKeys()) copy.setValue(key, user.value(key));
}

}  // namespace beamscope::ui::settings
