#pragma once

#include <QDialog>
#include <thread>
#include <vector>

#include "discovery/found_model.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace beamscope::ui {

// File › Models on This Computer: the models find_models() lists — the
// Hugging Face cache, Ollama, LM Studio, llama.cpp's cache and the folders
// the user added — grouped by source, with architecture, parameters, dtype
// or quantization and size; models Beamscope cannot open are greyed with the
// reason as their tooltip. A search box filters; Open (or a double click)
// asks for the model; Add Folder… adds a folder to search (remembered).
// The scan reads headers of possibly hundreds of models, so it runs on its
// own thread and the window never waits for it.
class ModelBrowser : public QDialog {
  Q_OBJECT

 public:
  explicit ModelBrowser(QWidget* parent);
  ~ModelBrowser() override;

  // Scans again (after a folder was added, or on demand).
  void rescan();

  QTreeWidget* tree() const { return tree_; }
  QLineEdit* search() const { return search_; }

 signals:
  void modelChosen(const QString& path);
  // A scan's results are shown (tests wait for it).
  void scanFinished();

 private:
  void showModels(const std::vector<FoundModel>& models);
  void applyFilter();
  void openSelected();
  void addFolder();

  QLineEdit* search_;
  QTreeWidget* tree_;
  QLabel* status_;
  QPushButton* open_;
  std::thread scan_;  // joined before the next scan and on destruction
};

}  // namespace beamscope::ui
