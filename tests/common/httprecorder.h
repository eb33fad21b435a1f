// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A tiny HTTP/1.1 server on 127.0.0.1 that records every request (method,
// path, headers, body, when) and answers a programmed sequence of statuses
// (then 200), with a Location header on a 3xx when `location` is set.
// Keep-alive and pipelined requests on one connection work; chunked request
// bodies do not (Qt sends Content-Length). Header-only; any test may use it.

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace vigil::test {

struct RecordedRequest
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
    qint64 atMs = 0; // since the recorder started

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

class HttpRecorder : public QObject
{
public:
    explicit HttpRecorder(QObject *parent = nullptr) : QObject(parent)
    {
        m_clock.start();
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setParent(this);
                QObject::connect(s, &QTcpSocket::readyRead, this, [this, s] { serve(s); });
                QObject::connect(s, &QTcpSocket::disconnected, this, [this, s] {
                    m_buffers.remove(s);
                    s->deleteLater();
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
    }

    QList<RecordedRequest> requests;
    QList<int> statuses; // answered in order, then 200
    QByteArray location; // non-empty: sent as the Location header of every 3xx answer

private:
    void serve(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        for (;;) {
            const qsizetype end = buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = buf.left(end).split('\n');
            RecordedRequest r;
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            r.method = first.value(0);
            r.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    r.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                     lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = r.headers.value("content-length").toLongLong();
            if (buf.size() < end + 4 + length)
                return;
            r.body = buf.mid(end + 4, length);
            buf.remove(0, end + 4 + length);
            r.atMs = m_clock.elapsed();
            requests << r;
            const int status = statuses.isEmpty() ? 200 : statuses.takeFirst();
            const QByteArray body = "{}";
            const QByteArray redirect = status >= 300 && status < 400 && !location.isEmpty()
                                            ? "Location: " + location + "\r\n"
                                            : QByteArray();
            s->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + phrase(status) + "\r\n" +
                     redirect + "Content-Type: application/json\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n\r\n" + body);
        }
    }

    static QByteArray phrase(int status)
    {
        switch (status) {
        case 200:
            return "OK";
        case 302:
            return "Found";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
        }
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QElapsedTimer m_clock;
};

} // namespace vigil::test
