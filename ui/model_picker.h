#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QComboBox;
class QMenu;
class QWidget;

namespace beamscope::ui {

class DecodingService;
class GetModelDialog;

// Which model folder to use: the toolbar chooser (recent models, the bundled
// model, "Open Model Folder…"), the File menu's Recent Models, and the folder
// dialog. It remembers folders that loaded (settings_store) and asks for a
// load with modelRequested; loading itself is the DecodingService's.
class ModelPicker : public QObject {
  Q_OBJECT

 public:
  // `service` tells which model is in use; `parent` owns the widgets.
  ModelPicker(const DecodingService* service, QWidget* parent);

  QComboBox* chooser() const { return chooser_; }
  QMenu* recentMenu() const { return recent_menu_; }

  // Asks for a folder (starting where the last one was) and requests it.
  void openFolderDialog();
  void requestBundled();
  // File › Models on This Computer: the models found on disk (ModelBrowser).
  void openModelBrowser();
  // File › Get Model…: downloads from the Hugging Face Hub (GetModelDialog,
  // one per window so a running download can be looked at again).
  void openGetModel();
  // A model loaded from `folder`: it goes first in the recent list.
  void rememberLoaded(const QString& folder);
  // Rebuilds the menu and the chooser, pointing at the model in use.
  void refresh();

 signals:
  void modelRequested(const QString& folder);

 private:
  void onChosen(int index);

  const DecodingService* service_;
  QWidget* parent_;
  QComboBox* chooser_;
  QMenu* recent_menu_;
  QPointer<GetModelDialog> get_model_;
};

}  // namespace beamscope::ui
