#pragma once

#include <QDialog>
#include <QString>
#include <atomic>
#include <memory>
#include <thread>

#include "hub/hub_download.h"

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace beamscope::ui {

// File › Get Model…: a model from the Hugging Face Hub into its cache
// (core/hub). A short list of teaching models with their sizes, or any
// ORG/NAME and file patterns; the download runs on its own thread with
// progress and Cancel, so the window never waits; closing the dialog only
// hides it (the download goes on, and File › Get Model… shows it again). When it is done,
// modelDownloaded names what to load (the snapshot or its .gguf file).
class GetModelDialog : public QDialog {
  Q_OBJECT

 public:
  explicit GetModelDialog(QWidget* parent = nullptr);
  // Cancels a download still running and waits for its thread (the next
  // progress report notices, within about a second).
  ~GetModelDialog() override;

  // Starts downloading what the fields say. `settings` defaults to the
  // environment's (tests point it at a local server).
  void startDownload();
  void setHubSettings(const hub::HubSettings& settings) { settings_ = settings; }
  bool isDownloading() const { return worker_.joinable() && !finished_; }
  QLineEdit* repoEdit() const { return repo_; }
  QLineEdit* patternsEdit() const { return patterns_; }
  QLabel* statusLabel() const { return status_; }
  QProgressBar* progressBar() const { return progress_; }

 public slots:
  void cancelDownload();

 signals:
  void modelDownloaded(const QString& model);
  void downloadFinished(bool ok, const QString& message);

 private:
  void onProgress(const hub::DownloadProgress& p);
  void onDone(bool ok, const QString& model, const QString& message);
  void setBusy(bool busy);

  hub::HubSettings settings_;
  QListWidget* list_;
  QLineEdit* repo_;
  QLineEdit* patterns_;
  QProgressBar* progress_;
  QLabel* status_;
  QPushButton* download_;
  QPushButton* cancel_;
  std::thread worker_;
  std::shared_ptr<std::atomic<bool>> cancel_flag_;
  bool finished_ = true;
};

}  // namespace beamscope::ui
