// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/random.h"

#include "protocol/text.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::protocol {

Result<std::string> randomHex(std::size_t bytes)
{
    const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return Error("/dev/urandom: " + errnoText(errno));
    std::string raw(bytes, '\0');
    std::size_t done = 0;
    while (done < bytes) {
        const ssize_t n = ::read(fd, raw.data() + done, bytes - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : EIO;
            ::close(fd);
            return Error("/dev/urandom: " + errnoText(err));
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    return toHex(raw);
}

} // namespace vigil::protocol
