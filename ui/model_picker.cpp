#include "model_picker.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QSignalBlocker>

#include "decoding_service.h"
#include "get_model_dialog.h"
#include "model/model_folder.h"
#include "model_browser.h"
#include "settings_store.h"
#include "start_model.h"

namespace beamscope::ui {

namespace {
QString bundled_folder() { return QString::fromStdString(bundled_model_dir().string()); }
}  // namespace

ModelPicker::ModelPicker(const DecodingService* service, QWidget* parent)
    : QObject(parent), service_(service), parent_(parent) {
  chooser_ = new QComboBox(parent);
  chooser_->setMinimumContentsLength(18);
  chooser_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  chooser_->setToolTip(
      tr("The model folder in use; pick a recent one or open another "
         "(you can also drop a folder on the window)."));
  connect(chooser_, &QComboBox::activated, this, &ModelPicker::onChosen);
  recent_menu_ = new QMenu(tr("&Recent Models"), parent);
}

void ModelPicker::onChosen(int index) {
  const QString folder = chooser_->itemData(index).toString();
  if (folder.isEmpty()) {
    openFolderDialog();  // the "Open Model Folder…" entry
    refresh();
  } else if (folder.toStdString() != service_->model().path || !service_->hasModel()) {
    emit modelRequested(folder);
  }
}

void ModelPicker::openFolderDialog() {
  const QString folder =
      QFileDialog::getExistingDirectory(parent_, tr("Open Model Folder"), settings::lastModelDir());
  if (folder.isEmpty()) return;
  settings::setLastModelDir(folder);
  emit modelRequested(folder);
}

void ModelPicker::requestBundled() { emit modelRequested(bundled_folder()); }

void ModelPicker::rememberLoaded(const QString& folder) {
  settings::addRecentModel(folder);
  refresh();
}

void ModelPicker::refresh() {
  recent_menu_->clear();
  const QStringList recent = settings::recentModels();
  for (const QString& folder : recent) {
    recent_menu_->addAction(folder, this, [this, folder] { emit modelRequested(folder); });
  }
  recent_menu_->setEnabled(!recent.isEmpty());

  const QSignalBlocker block(chooser_);
  chooser_->clear();
  QStringList folders = recent;
  const QString bundled = bundled_folder();
  if (!folders.contains(bundled)) folders << bundled;
  for (const QString& folder : folders) {
    chooser_->addItem(model_display_name(folder), folder);
    chooser_->setItemData(chooser_->count() - 1, folder, Qt::ToolTipRole);
  }
  chooser_->insertSeparator(chooser_->count());
  chooser_->addItem(tr("Open Model Folder…"), QString());
  const int current = chooser_->findData(QString::fromStdString(service_->model().path));
  chooser_->setCurrentIndex(current >= 0 ? current : 0);
}

void ModelPicker::openGetModel() {
  if (!get_model_) {
    get_model_ = new GetModelDialog(parent_);
    connect(get_model_, &GetModelDialog::modelDownloaded, this, &ModelPicker::modelRequested);
  }
  get_model_->show();
  get_model_->raise();
  get_model_->activateWindow();
}

void ModelPicker::openModelBrowser() {
  auto* browser = new ModelBrowser(parent_);
  browser->setAttribute(Qt::WA_DeleteOnClose);
  connect(browser, &ModelBrowser::modelChosen, this, &ModelPicker::modelRequested);
  browser->open();
}

}  // namespace beamscope::ui
