// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QDialog>
#include <QImage>
#include <QWidget>
#include <functional>

class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace vigil {

// Reads a file of the checkpoint's run (relative to the run directory), at
// most maxBytes of it: a longer file is an Error::Kind::TooLarge. The review
// window's widgets never read files themselves.
using RunFileReader = std::function<void(const QString &relativePath, qint64 maxBytes,
                                         QObject *context, Callback<QByteArray> done)>;

// The image format of `data` judged by its first bytes ("png", "jpeg", "gif",
// "svg"), whatever the file is called; empty when it is none of these.
QByteArray sniffImageFormat(const QByteArray &data);

// The files a checkpoint attaches (request.json's "attachments"), one row
// each: an image as a thumbnail that opens full size, any other file with
// its size and "Save As…". Images are recognised by their content and
// decoded off the GUI thread; a file larger than maxBytes() is not fetched.
class AttachmentsView : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { Loading, Image, File, NotAnImage, Failed };

    explicit AttachmentsView(QWidget *parent = nullptr);
    ~AttachmentsView() override;

    static constexpr qint64 maxBytes() { return qint64(20) << 20; }

    // Lists `paths` (not loaded yet).
    void setAttachments(const QStringList &paths);
    // Fetches each through `read` (none: "cannot be read here").
    void load(const RunFileReader &read);

    int count() const { return int(m_items.size()); }
    QString path(int i) const;
    Kind kind(int i) const;
    QString text(int i) const; // what the row says (size, pixel size or why not)
    QImage image(int i) const; // Image only: the whole picture
    QLabel *thumbnail(int i) const;
    QPushButton *saveButton(int i) const;

    // The full-size window of an image attachment (nullptr for any other).
    QDialog *openImage(int i);
    // Writes attachment i's bytes to fileName, off the GUI thread; saved()
    // tells how it went. "Save As…" asks for the name, then calls this.
    void save(int i, const QString &fileName);

Q_SIGNALS:
    void loaded(int i); // attachment i is fetched (or failed)
    void saved(const QString &fileName, const QString &error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Item;
    void fetched(int i, Result<QByteArray> r);
    void decoded(int i, const QImage &image);
    void setRowText(int i, const QString &text);
    void askSave(int i);

    std::vector<std::unique_ptr<Item>> m_items;
    QScrollArea *m_scroll;
    QVBoxLayout *m_rows;
    QLabel *m_empty;
    QLabel *m_saveStatus;
};

// An image at full size in a scrolling window: fitted to the window, or at 100%.
class ImageViewer : public QDialog
{
    Q_OBJECT
public:
    ImageViewer(const QImage &image, const QString &title, QWidget *parent = nullptr);

    bool isFitted() const { return m_fit; }
    void setFitted(bool fit);
    QSize shownSize() const; // the pixel size the image is drawn at

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void render();

    QImage m_image;
    QScrollArea *m_scroll;
    QLabel *m_label;
    QPushButton *m_fitButton;
    QPushButton *m_actualButton;
    bool m_fit = true;
};

} // namespace vigil
