#include "connect_server_dialog.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <cstdlib>

#include "util/error.h"

namespace beamscope::ui {

QString describe_server(const remote::ServerInfo& info) {
  QString text = info.kind == remote::ServerKind::LlamaCppNative
                     ? QObject::tr("llama.cpp server")
                     : QObject::tr("OpenAI-compatible server");
  if (!info.models.empty()) {
    QStringList names;
    for (const std::string& m : info.models) names << QString::fromStdString(m);
    text += QObject::tr(", models: %1").arg(names.join(QStringLiteral(", ")));
  }
  text += QObject::tr("; %1 log-probs per step").arg(info.top_n);
  if (info.context_length > 0) text += QObject::tr("; context %1").arg(info.context_length);
  return text + QStringLiteral(".");
}

ConnectServerDialog::ConnectServerDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Connect to Server"));
  url_ = new QLineEdit(this);
  url_->setPlaceholderText(tr("http://localhost:8080 or https://host/v1"));
  model_ = new QLineEdit(this);
  model_->setPlaceholderText(tr("empty: the first model the server lists"));
  key_ = new QLineEdit(this);
  key_->setEchoMode(QLineEdit::Password);
  key_->setPlaceholderText(tr("empty: read from the variable below"));
  key_env_ = new QLineEdit(QStringLiteral("OPENAI_API_KEY"), this);
  top_n_ = new QSpinBox(this);
  top_n_->setRange(1, 1000);
  top_n_->setValue(remote::RemoteOptions{}.top_n);
  top_n_->setToolTip(
      tr("Log-probs asked per step (vLLM allows 20 unless started with "
         "--max-logprobs). Greedy and beam search are exact while this covers "
         "2 × beams; sampling draws among these tokens only."));
  tokenizer_ = new QLineEdit(this);
  tokenizer_->setPlaceholderText(tr("the served model's folder; empty: the server's /tokenize"));
  auto* browse = new QPushButton(tr("Browse…"), this);
  connect(browse, &QPushButton::clicked, this, &ConnectServerDialog::browseTokenizer);
  auto* tokenizer_row = new QHBoxLayout;
  tokenizer_row->addWidget(tokenizer_, 1);
  tokenizer_row->addWidget(browse);

  auto* form = new QFormLayout;
  form->addRow(tr("Server &address:"), url_);
  form->addRow(tr("&Model name:"), model_);
  form->addRow(tr("API &key:"), key_);
  form->addRow(tr("Key &variable:"), key_env_);
  form->addRow(tr("Log-probs per &step:"), top_n_);
  form->addRow(tr("&Tokenizer folder:"), tokenizer_row);

  test_ = new QPushButton(tr("&Test Connection"), this);
  connect(test_, &QPushButton::clicked, this, &ConnectServerDialog::testConnection);
  result_ = new QLabel(this);
  result_->setWordWrap(true);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(test_, 0, Qt::AlignLeft);
  layout->addWidget(result_);
  layout->addWidget(buttons);
}

remote::RemoteOptions ConnectServerDialog::options() const {
  remote::RemoteOptions o;
  o.url = url_->text().trimmed().toStdString();
  o.model = model_->text().trimmed().toStdString();
  o.top_n = top_n_->value();
  o.api_key = key_->text().toStdString();
  if (o.api_key.empty()) {
    const QByteArray name = key_env_->text().trimmed().toLocal8Bit();
    if (const char* key = name.isEmpty() ? nullptr : std::getenv(name.constData())) o.api_key = key;
  }
  return o;
}

QString ConnectServerDialog::tokenizerDir() const { return tokenizer_->text().trimmed(); }
void ConnectServerDialog::setUrl(const QString& url) { url_->setText(url); }
void ConnectServerDialog::setTokenizerDir(const QString& dir) { tokenizer_->setText(dir); }
QString ConnectServerDialog::testResult() const { return result_->text(); }

void ConnectServerDialog::browseTokenizer() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Tokenizer Folder"), tokenizerDir());
  if (!dir.isEmpty()) tokenizer_->setText(dir);
}

void ConnectServerDialog::testConnection() {
  test_->setEnabled(false);
  result_->setText(tr("Asking the server…"));
  const remote::RemoteOptions options = this->options();
  QPointer<ConnectServerDialog> self(this);
  // Its own thread: a slow or silent server never blocks the window. The
  // thread deletes itself; a dialog closed meanwhile just gets no answer.
  QThread* probe = QThread::create([self, options] {
    bool ok = false;
    QString message;
    try {
      message = describe_server(remote::probe_server(options));
      ok = true;
    } catch (const std::exception& e) {
      message = QString::fromUtf8(e.what());
    }
    QMetaObject::invokeMethod(
        qApp,
        [self, ok, message] {
          if (!self) return;
          self->test_->setEnabled(true);
          self->result_->setText(message);
          emit self->tested(ok, message);
        },
        Qt::QueuedConnection);
  });
  connect(probe, &QThread::finished, probe, &QObject::deleteLater);
  probe->start();
}

}  // namespace beamscope::ui
