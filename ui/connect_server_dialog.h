#pragma once

#include <QDialog>

#include "remote/remote_server.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace beamscope::ui {

// File › Connect to Server…: the server's address, the model name, the API
// key (typed here, or read from an environment variable: never written to
// the settings), how many log-probs per step, and the served model's
// tokenizer folder. "Test connection" asks the server on a thread of its own
// (the window never waits on the network) and says what it found.
class ConnectServerDialog : public QDialog {
  Q_OBJECT

 public:
  explicit ConnectServerDialog(QWidget* parent = nullptr);

  // The options as filled in; the key is the typed one, else the variable's.
  remote::RemoteOptions options() const;
  QString tokenizerDir() const;
  void setUrl(const QString& url);
  void setTokenizerDir(const QString& dir);
  void testConnection();
  QString testResult() const;

 signals:
  // The test's outcome, worded (what it found, or the failure's sentence).
  void tested(bool ok, const QString& message);

 private:
  void browseTokenizer();

  QLineEdit* url_;
  QLineEdit* model_;
  QLineEdit* key_;
  QLineEdit* key_env_;
  QSpinBox* top_n_;
  QLineEdit* tokenizer_;
  QPushButton* test_;
  QLabel* result_;
};

// "llama.cpp server, model beamscope-mini; 20 log-probs per step; context 256"
QString describe_server(const remote::ServerInfo& info);

}  // namespace beamscope::ui
