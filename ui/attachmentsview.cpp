// SPDX-License-Identifier: GPL-3.0-or-later
#include "attachmentsview.h"

#include "inbackground.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QThreadPool>
#include <QVBoxLayout>

namespace vigil {

namespace {

constexpr int kThumbWidth = 160;
constexpr int kThumbHeight = 120;

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

// The largest picture decoded: an image that declares more (a tiny SVG can
// declare 100000 × 100000) is decoded scaled down to fit.
constexpr int kMaxSide = 8192;

struct Decoded
{
    QImage image;
    QImage thumbnail;
    QSize declared; // the size the file gives, before any scaling
};

} // namespace

QByteArray sniffImageFormat(const QByteArray &data)
{
    if (data.startsWith("\x89PNG\r\n\x1a\n"))
        return "png";
    if (data.startsWith("\xFF\xD8\xFF"))
        return "jpeg";
    if (data.startsWith("GIF87a") || data.startsWith("GIF89a"))
        return "gif";
    // SVG: XML (a declaration, comments, a doctype first) whose root is <svg.
    QByteArray head = data.left(4096);
    if (head.startsWith("\xEF\xBB\xBF"))
        head.remove(0, 3);
    head = head.trimmed();
    if (head.startsWith('<') && head.contains("<svg"))
        return "svg";
    return {};
}

struct AttachmentsView::Item
{
    QString path;
    Kind kind = Kind::Loading;
    QString text;
    QByteArray data;
    QImage image;
    QLabel *thumb = nullptr;
    QLabel *info = nullptr;
    QPushButton *view = nullptr;
    QPushButton *save = nullptr;
};

AttachmentsView::AttachmentsView(QWidget *parent)
    : QWidget(parent), m_scroll(new QScrollArea(this)), m_rows(new QVBoxLayout),
      m_empty(new QLabel(tr("The job attached no files."), this)), m_saveStatus(new QLabel(this))
{
    auto *inner = new QWidget(m_scroll);
    auto *innerLayout = new QVBoxLayout(inner);
    innerLayout->addLayout(m_rows);
    innerLayout->addStretch(1);
    m_scroll->setWidget(inner);
    m_scroll->setWidgetResizable(true);
    m_saveStatus->setObjectName(QStringLiteral("attachmentSaveStatus"));
    m_saveStatus->setWordWrap(true);
    m_saveStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_saveStatus->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_saveStatus);
}

AttachmentsView::~AttachmentsView() = default;

void AttachmentsView::setAttachments(const QStringList &paths)
{
    m_empty->setVisible(paths.isEmpty());
    for (const QString &path : paths) {
        const int i = int(m_items.size());
        auto item = std::make_unique<Item>();
        item->path = path;
        item->thumb = new QLabel(this);
        item->thumb->setObjectName(QStringLiteral("attachmentThumbnail"));
        item->thumb->setFixedSize(kThumbWidth, kThumbHeight);
        item->thumb->setAlignment(Qt::AlignCenter);
        item->thumb->setFrameShape(QFrame::StyledPanel);
        item->thumb->installEventFilter(this);
        item->info = new QLabel(this);
        item->info->setWordWrap(true);
        item->info->setTextInteractionFlags(Qt::TextSelectableByMouse);
        item->view = new QPushButton(tr("View…"), this);
        item->view->setToolTip(tr("Show the image at full size"));
        item->view->setAutoDefault(false);
        item->view->hide();
        connect(item->view, &QPushButton::clicked, this, [this, i] { openImage(i); });
        item->save = new QPushButton(tr("Save As…"), this);
        item->save->setAutoDefault(false);
        item->save->setEnabled(false);
        connect(item->save, &QPushButton::clicked, this, [this, i] { askSave(i); });
        auto *buttons = new QVBoxLayout;
        buttons->addWidget(item->view);
        buttons->addWidget(item->save);
        buttons->addStretch(1);
        auto *row = new QHBoxLayout;
        row->addWidget(item->thumb);
        row->addWidget(item->info, 1);
        row->addLayout(buttons);
        m_rows->addLayout(row);
        m_items.push_back(std::move(item));
        setRowText(i, tr("Not loaded"));
    }
}

void AttachmentsView::load(const RunFileReader &read)
{
    for (int i = 0; i < count(); ++i) {
        if (!read) {
            fetched(i, Error(tr("files of the run cannot be read here")));
            continue;
        }
        setRowText(i, tr("Loading…"));
        read(path(i), maxBytes(), this,
             [this, i](Result<QByteArray> r) { fetched(i, std::move(r)); });
    }
}

void AttachmentsView::setRowText(int i, const QString &text)
{
    Item &item = *m_items.at(i);
    item.text = text;
    item.info->setText(
        QStringLiteral("<b>%1</b><br>%2").arg(item.path.toHtmlEscaped(), text.toHtmlEscaped()));
    item.info->setToolTip(item.path);
}

void AttachmentsView::fetched(int i, Result<QByteArray> r)
{
    Item &item = *m_items.at(i);
    if (!r) {
        item.kind = Kind::Failed;
        item.thumb->setText(tr("unavailable"));
        setRowText(
            i,
            r.error().kind == Error::Kind::TooLarge
                ? tr("Larger than %1: not fetched (%2)").arg(sizeText(maxBytes()), r.errorString())
                : tr("Could not read it: %1").arg(r.errorString()));
        Q_EMIT loaded(i);
        return;
    }
    if (r->size() > maxBytes()) { // a reader that does not keep to the limit
        item.kind = Kind::Failed;
        item.thumb->setText(tr("too large"));
        setRowText(i, tr("%1 (%n byte(s)), larger than %2: not shown", nullptr, int(r->size()))
                          .arg(sizeText(r->size()), sizeText(maxBytes())));
        Q_EMIT loaded(i);
        return;
    }
    item.data = *r;
    item.save->setEnabled(true);
    const QByteArray format = sniffImageFormat(item.data);
    const QString suffix = QFileInfo(item.path).suffix().toLower();
    const bool namedLikeImage =
        QStringList{QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
                    QStringLiteral("gif"), QStringLiteral("svg")}
            .contains(suffix);
    if (format.isEmpty()) {
        item.kind = namedLikeImage ? Kind::NotAnImage : Kind::File;
        item.thumb->setText(namedLikeImage ? tr("not an image") : suffix.toUpper());
        setRowText(i, namedLikeImage
                          ? tr("%1: not an image it can show").arg(sizeText(item.data.size()))
                          : sizeText(item.data.size()));
        Q_EMIT loaded(i);
        return;
    }
    item.thumb->setText(tr("decoding…"));
    const QByteArray bytes = item.data;
    inBackground<Decoded>(
        this,
        [bytes, format] {
            Decoded d;
            QBuffer buffer;
            buffer.setData(bytes);
            QImageReader reader(&buffer, format);
            d.declared = reader.size();
            if (d.declared.isValid() &&
                (d.declared.width() > kMaxSide || d.declared.height() > kMaxSide))
                reader.setScaledSize(d.declared.scaled(kMaxSide, kMaxSide, Qt::KeepAspectRatio));
            d.image = reader.read();
            if (!d.image.isNull())
                d.thumbnail = d.image.width() > kThumbWidth || d.image.height() > kThumbHeight
                                  ? d.image.scaled(kThumbWidth, kThumbHeight, Qt::KeepAspectRatio,
                                                   Qt::SmoothTransformation)
                                  : d.image;
            return d;
        },
        [this, i](const Decoded &d) {
            Item &it = *m_items.at(i);
            if (d.image.isNull()) {
                it.kind = Kind::NotAnImage;
                it.thumb->setText(tr("not an image"));
                setRowText(i, tr("%1: not an image it can show").arg(sizeText(it.data.size())));
            } else {
                it.kind = Kind::Image;
                it.image = d.image;
                it.thumb->setPixmap(QPixmap::fromImage(d.thumbnail));
                it.thumb->setCursor(Qt::PointingHandCursor);
                it.thumb->setToolTip(tr("Click to show it at full size"));
                it.view->show();
                const QSize size = d.declared.isValid() ? d.declared : d.image.size();
                QString text = tr("%1 × %2 pixels, %3")
                                   .arg(size.width())
                                   .arg(size.height())
                                   .arg(sizeText(it.data.size()));
                if (size != d.image.size())
                    text += tr(" (shown at %1 × %2)").arg(d.image.width()).arg(d.image.height());
                setRowText(i, text);
            }
            Q_EMIT loaded(i);
        });
}

QString AttachmentsView::path(int i) const
{
    return m_items.at(i)->path;
}

AttachmentsView::Kind AttachmentsView::kind(int i) const
{
    return m_items.at(i)->kind;
}

QString AttachmentsView::text(int i) const
{
    return m_items.at(i)->text;
}

QImage AttachmentsView::image(int i) const
{
    return m_items.at(i)->image;
}

QLabel *AttachmentsView::thumbnail(int i) const
{
    return m_items.at(i)->thumb;
}

QPushButton *AttachmentsView::saveButton(int i) const
{
    return m_items.at(i)->save;
}

bool AttachmentsView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::MouseButtonRelease &&
        static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton)
        for (int i = 0; i < count(); ++i)
            if (m_items.at(i)->thumb == watched && kind(i) == Kind::Image) {
                openImage(i);
                return true;
            }
    return QWidget::eventFilter(watched, event);
}

QDialog *AttachmentsView::openImage(int i)
{
    const Item &item = *m_items.at(i);
    if (item.kind != Kind::Image)
        return nullptr;
    auto *viewer = new ImageViewer(item.image, item.path, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    viewer->show();
    return viewer;
}

void AttachmentsView::askSave(int i)
{
    // Not the static getSaveFileName(): no nested event loop; the dialog goes
    // with this view.
    auto *dialog = new QFileDialog(this, tr("Save Attachment"));
    dialog->setObjectName(QStringLiteral("saveAttachmentDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->selectFile(QFileInfo(path(i)).fileName());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, i](const QString &name) {
        if (!name.isEmpty())
            save(i, name);
    });
    dialog->open();
}

void AttachmentsView::save(int i, const QString &fileName)
{
    const QByteArray bytes = m_items.at(i)->data;
    m_saveStatus->setText(tr("Saving %1…").arg(fileName));
    m_saveStatus->show();
    inBackground<QString>(
        this,
        [bytes, fileName] {
            QSaveFile f(fileName);
            if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
                return f.errorString().isEmpty() ? tr("could not write it") : f.errorString();
            return QString();
        },
        [this, fileName](const QString &error) {
            m_saveStatus->setText(error.isEmpty()
                                      ? tr("Saved %1").arg(fileName)
                                      : tr("Could not save %1: %2").arg(fileName, error));
            Q_EMIT saved(fileName, error);
        });
}

ImageViewer::ImageViewer(const QImage &image, const QString &title, QWidget *parent)
    : QDialog(parent), m_image(image), m_scroll(new QScrollArea(this)),
      m_label(new QLabel(m_scroll)), m_fitButton(new QPushButton(tr("&Fit"), this)),
      m_actualButton(new QPushButton(tr("&100%"), this))
{
    setObjectName(QStringLiteral("imageViewer"));
    setWindowTitle(tr("%1 (%2 × %3)").arg(title).arg(image.width()).arg(image.height()));
    m_label->setAlignment(Qt::AlignCenter);
    m_scroll->setWidget(m_label);
    m_scroll->setAlignment(Qt::AlignCenter);
    m_scroll->setWidgetResizable(false);
    for (QPushButton *b : {m_fitButton, m_actualButton}) {
        b->setCheckable(true);
        b->setAutoDefault(false);
    }
    m_fitButton->setToolTip(tr("Scale the image to the window"));
    m_actualButton->setToolTip(tr("One image pixel per screen pixel; scroll to see the rest"));
    connect(m_fitButton, &QPushButton::clicked, this, [this] { setFitted(true); });
    connect(m_actualButton, &QPushButton::clicked, this, [this] { setFitted(false); });
    auto *close = new QPushButton(tr("Close"), this);
    close->setAutoDefault(false);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_fitButton);
    buttons->addWidget(m_actualButton);
    buttons->addStretch(1);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_scroll, 1);
    layout->addLayout(buttons);
    resize(800, 600);
    render();
}

void ImageViewer::setFitted(bool fit)
{
    m_fit = fit;
    render();
}

QSize ImageViewer::shownSize() const
{
    return m_label->pixmap().size();
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    if (m_fit)
        render();
}

void ImageViewer::render()
{
    m_fitButton->setChecked(m_fit);
    m_actualButton->setChecked(!m_fit);
    QImage shown = m_image;
    const QSize room = m_scroll->viewport()->size() - QSize(4, 4);
    if (m_fit && room.isValid() &&
        (m_image.width() > room.width() || m_image.height() > room.height()))
        shown = m_image.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    m_label->setPixmap(QPixmap::fromImage(shown));
    m_label->resize(shown.size());
}

} // namespace vigil
