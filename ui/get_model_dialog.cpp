#include "get_model_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMetaObject>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include "hub/teaching_models.h"
#include "util/error.h"

namespace beamscope::ui {

namespace {
QString size_text(std::uint64_t bytes) {
  if (bytes >= 1'000'000'000) return QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'f', 1);
  return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 0);
}
}  // namespace

GetModelDialog::GetModelDialog(QWidget* parent)
    : QDialog(parent), settings_(hub::hub_settings_from_environment()) {
  setWindowTitle(tr("Get Model"));
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(
      tr("Models that suit a lecture, downloaded from the Hugging Face Hub into its cache "
         "(%1), where transformers finds them too:")
          .arg(QString::fromStdString(settings_.cache.string()))));
  list_ = new QListWidget(this);
  for (const hub::TeachingModel& m : hub::teaching_models()) {
    auto* item =
        new QListWidgetItem(QStringLiteral("%1 — %2, about %3")
                                .arg(QString::fromStdString(m.repo_id),
                                     QString::fromStdString(m.about), size_text(m.download_bytes)),
                            list_);
    item->setData(Qt::UserRole, QString::fromStdString(m.repo_id));
    if (m.gated) {
      item->setToolTip(
          tr("Gated: accept the licence on the model's page on the Hub, then set "
             "HF_TOKEN or log in with huggingface-cli before starting Beamscope."));
    }
  }
  layout->addWidget(list_);
  auto* form = new QFormLayout;
  repo_ = new QLineEdit(this);
  repo_->setPlaceholderText(tr("ORG/NAME, for example HuggingFaceTB/SmolLM2-135M"));
  patterns_ = new QLineEdit(this);
  patterns_->setPlaceholderText(tr("optional, e.g. *Q4_K_M.gguf (a GGUF repository needs one)"));
  form->addRow(tr("&Model:"), repo_);
  form->addRow(tr("&Files:"), patterns_);
  layout->addLayout(form);
  progress_ = new QProgressBar(this);
  progress_->setVisible(false);
  layout->addWidget(progress_);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);

  auto* buttons = new QDialogButtonBox(this);
  download_ = buttons->addButton(tr("&Download"), QDialogButtonBox::AcceptRole);
  cancel_ = buttons->addButton(tr("&Cancel Download"), QDialogButtonBox::ActionRole);
  cancel_->setEnabled(false);
  buttons->addButton(QDialogButtonBox::Close);
  layout->addWidget(buttons);
  connect(download_, &QPushButton::clicked, this, &GetModelDialog::startDownload);
  connect(cancel_, &QPushButton::clicked, this, &GetModelDialog::cancelDownload);
  connect(buttons, &QDialogButtonBox::rejected, this, &GetModelDialog::reject);
  connect(list_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    if (item) repo_->setText(item->data(Qt::UserRole).toString());
  });
  connect(list_, &QListWidget::itemActivated, this, [this] { startDownload(); });
  resize(640, 420);
}

GetModelDialog::~GetModelDialog() {
  if (cancel_flag_) cancel_flag_->store(true);
  if (worker_.joinable()) worker_.join();
}

void GetModelDialog::setBusy(bool busy) {
  download_->setEnabled(!busy);
  cancel_->setEnabled(busy);
  repo_->setEnabled(!busy);
  patterns_->setEnabled(!busy);
  list_->setEnabled(!busy);
  progress_->setVisible(busy);
}

void GetModelDialog::startDownload() {
  if (isDownloading()) return;
  if (worker_.joinable()) worker_.join();  // the last one has finished
  hub::DownloadRequest request;
  request.repo_id = repo_->text().trimmed().toStdString();
  for (const QString& p : patterns_->text().split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    request.include.push_back(p.toStdString());
  }
  if (request.repo_id.empty()) {
    status_->setText(tr("Pick a model from the list or type its name (ORG/NAME)."));
    return;
  }
  cancel_flag_ = std::make_shared<std::atomic<bool>>(false);
  finished_ = false;
  setBusy(true);
  progress_->setRange(0, 0);
  status_->setText(tr("Asking the Hub for %1…").arg(repo_->text().trimmed()));
  // The worker reports through queued calls on this dialog; QPointer guards
  // against a report arriving as the dialog goes (the destructor joins, so
  // none runs after it, but queued calls may still be in the event queue).
  QPointer<GetModelDialog> self(this);
  worker_ = std::thread([self, request, settings = settings_, cancel = cancel_flag_] {
    bool ok = false;
    QString model, message;
    try {
      const hub::DownloadResult result =
          hub::download_repo(settings, request, [self, cancel](const hub::DownloadProgress& p) {
            if (cancel->load()) return false;
            QMetaObject::invokeMethod(
                self.data(),
                [self, p] {
                  if (self) self->onProgress(p);
                },
                Qt::QueuedConnection);
            return true;
          });
      ok = true;
      model = QString::fromStdString(result.model.string());
    } catch (const Cancelled&) {
      message = QObject::tr("Download cancelled; what arrived is kept and the next try resumes.");
    } catch (const Error& e) {
      message = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
      message = QObject::tr("The download failed: %1.").arg(QString::fromUtf8(e.what()));
    }
    QMetaObject::invokeMethod(
        self.data(),
        [self, ok, model, message] {
          if (self) self->onDone(ok, model, message);
        },
        Qt::QueuedConnection);
  });
}

void GetModelDialog::cancelDownload() {
  if (cancel_flag_) cancel_flag_->store(true);
  status_->setText(tr("Cancelling…"));
}

void GetModelDialog::onProgress(const hub::DownloadProgress& p) {
  if (finished_) return;
  const std::uint64_t total = p.all_total;
  if (total > 0) {
    progress_->setRange(0, 1000);
    progress_->setValue(
        static_cast<int>(1000.0 * static_cast<double>(p.all_bytes) / static_cast<double>(total)));
  }
  if (p.file_index < p.file_count) {
    status_->setText(tr("File %1 of %2: %3 (%4 of %5)")
                         .arg(p.file_index + 1)
                         .arg(p.file_count)
                         .arg(QString::fromStdString(p.file), size_text(p.file_bytes),
                              p.file_total ? size_text(p.file_total) : tr("?")));
  }
}

void GetModelDialog::onDone(bool ok, const QString& model, const QString& message) {
  finished_ = true;
  setBusy(false);
  status_->setText(ok ? tr("Downloaded: %1").arg(model) : message);
  if (ok) emit modelDownloaded(model);
  emit downloadFinished(ok, ok ? model : message);
}

}  // namespace beamscope::ui
